import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBoth, prepareBackends, randomValues, relativeError, sizeOf } from './against-cpu.ts';

beforeAll(prepareBackends);

const cases: [number[], number[], boolean][] = [
  [[6, 5, 5, 7], [0, 1, 2], false],
  [[6, 5, 5, 7], [0, 1, 2], true],
  [[128, 3], [0], false],
  [[4, 6, 5], [1], false],
  [[4, 6, 5, 3], [1, 2], true],
  [[4, 6, 5, 3], [2, 3], false],
  [[4, 6, 5, 3], [0, 2], false],
  [[4, 1, 5, 3], [0, 1, 2], false],
  [[3, 4, 5], [0, 1, 2], false],
  [[9, 9], [-2], false],
];

describe.each([
  ['Sum', tf.sum],
  ['Mean', tf.mean],
] as const)('%s on wasm matches cpu', (_, reduce) => {
  it.each(cases)('shape %j over axes %j (keepDims %s)', async (shape, axes, keepDims) => {
    const { reference, actual } = await onBoth(() =>
      reduce(tf.tensor(randomValues(sizeOf(shape), 13), shape), axes, keepDims),
    );
    expect(actual.shape).toEqual(reference.shape);
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-5);
  });
});

describe('integer sums keep the stock semantics', () => {
  it('sums int32 over leading axes into int32', async () => {
    const shape = [3, 4, 5];
    const values = Array.from({ length: sizeOf(shape) }, (_, i) => (i % 7) - 3);
    const { reference, actual } = await onBoth(() => tf.sum(tf.tensor(values, shape, 'int32'), [0, 1]));
    expect(actual).toEqual(reference);
  });
});
