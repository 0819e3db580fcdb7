import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBoth, prepareBackends, randomValues, relativeError, sizeOf } from './against-cpu.ts';

beforeAll(prepareBackends);

// [x shape, id axes (tfjs takes 1-D ids), segments]
const cases: [number[], number, number][] = [
  [[6, 4], 1, 3],
  [[10, 3, 2], 1, 7],
  [[9, 2, 6], 1, 9],
  [[1, 1], 1, 1],
];

const ids = (count: number, segments: number) =>
  tf.tensor1d(
    Array.from({ length: count }, (_, i) => (i * 5 + 1) % segments),
    'int32',
  );

describe('UnsortedSegmentSum on wasm matches cpu', () => {
  it.each(cases)('x %j, id axes %i, %i segments', async (shape, idAxes, segments) => {
    const { reference, actual } = await onBoth(() => {
      const idShape = shape.slice(0, idAxes);
      const segmentIds = ids(sizeOf(idShape), segments).reshape(idShape);
      return tf.unsortedSegmentSum(
        tf.tensor(randomValues(sizeOf(shape), 3), shape),
        segmentIds as tf.Tensor1D,
        segments,
      );
    });
    expect(actual.shape).toEqual(reference.shape);
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-6);
  });

  it('gives the gradient of an embedding lookup (gather) with repeated ids', async () => {
    const { reference, actual } = await onBoth(() => {
      const table = tf.tensor2d(randomValues(12 * 5, 9), [12, 5]);
      const lookups = tf.tensor1d([3, 0, 3, 11, 7, 3, 0], 'int32');
      const weights = tf.tensor2d(randomValues(7 * 5, 10), [7, 5]);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, lookups), weights)))(table);
    });
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-6);
  });
});
