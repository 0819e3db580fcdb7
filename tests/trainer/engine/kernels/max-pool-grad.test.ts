import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBoth, prepareBackends, randomValues, relativeError, sizeOf } from './against-cpu.ts';

beforeAll(prepareBackends);

// [x shape, filter, strides, pad]
const cases: [[number, number, number, number], number, number, 'same' | 'valid'][] = [
  [[2, 8, 8, 3], 2, 2, 'valid'],
  [[1, 9, 9, 4], 3, 2, 'same'],
  [[3, 7, 5, 2], 3, 1, 'same'],
  [[1, 10, 10, 1], 5, 3, 'valid'],
  [[2, 6, 6, 5], 3, 3, 'same'],
];

const gradient = (
  shape: [number, number, number, number],
  filter: number,
  strides: number,
  pad: 'same' | 'valid',
  values: Float32Array,
) => {
  const x = tf.tensor4d(values, shape);
  const weights = tf.tensor(randomValues(tf.maxPool(x, filter, strides, pad).size, 77));
  return tf.grad((a: tf.Tensor) =>
    tf
      .maxPool(a as tf.Tensor4D, filter, strides, pad)
      .flatten()
      .mul(weights)
      .sum(),
  )(x);
};

describe('MaxPoolGrad on wasm matches cpu', () => {
  it.each(cases)('x %j, filter %i, strides %i, pad %s', async (shape, filter, strides, pad) => {
    const { reference, actual } = await onBoth(() =>
      gradient(shape, filter, strides, pad, randomValues(sizeOf(shape), 31)),
    );
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-6);
  });

  it.each(cases)(
    'routes gradients out of all-negative windows: x %j',
    async (shape, filter, strides, pad) => {
      const negative = randomValues(sizeOf(shape), 41).map((v) => -Math.abs(v));
      const { reference, actual } = await onBoth(() => gradient(shape, filter, strides, pad, negative));
      expect(reference.values.some((v) => v !== 0)).toBe(true);
      expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-6);
    },
  );
});
