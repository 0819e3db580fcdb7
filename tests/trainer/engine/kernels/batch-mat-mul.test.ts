import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBoth, prepareBackends, randomValues, relativeError, sizeOf } from './against-cpu.ts';

beforeAll(prepareBackends);

// [a shape, b shape, transposeA, transposeB]
const cases: [number[], number[], boolean, boolean][] = [
  [[7, 5], [5, 3], false, false],
  [[5, 7], [5, 3], true, false],
  [[7, 5], [3, 5], false, true],
  [[5, 7], [3, 5], true, true],
  [[33, 65], [33, 17], true, false],
  [[128, 33], [10, 33], false, true],
  [[3, 6, 4], [3, 6, 5], true, false],
  [[3, 4, 6], [3, 5, 6], false, true],
  [[2, 3, 6, 4], [2, 3, 5, 6], true, true],
  [[1, 6, 4], [3, 6, 5], true, false],
  [[3, 4, 6], [1, 5, 6], false, true],
  [[1, 1], [1, 9], true, false],
];

describe('BatchMatMul with transposes on wasm matches cpu', () => {
  it.each(cases)(
    'a %j · b %j (transposeA %s, transposeB %s)',
    async (aShape, bShape, transposeA, transposeB) => {
      const { reference, actual } = await onBoth(() =>
        tf.matMul(
          tf.tensor(randomValues(sizeOf(aShape), 17), aShape),
          tf.tensor(randomValues(sizeOf(bShape), 19), bShape),
          transposeA,
          transposeB,
        ),
      );
      expect(actual.shape).toEqual(reference.shape);
      expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-5);
    },
  );

  it('gives the dense-layer gradients of cpu', async () => {
    const { reference, actual } = await onBoth(() => {
      const x = tf.tensor2d(randomValues(13 * 31, 1), [13, 31]);
      const w = tf.tensor2d(randomValues(31 * 9, 2), [31, 9]);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b).square().sum())([x, w]) as [
        tf.Tensor,
        tf.Tensor,
      ];
      return tf.concat([dx.flatten(), dw.flatten()]);
    });
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-5);
  });
});
