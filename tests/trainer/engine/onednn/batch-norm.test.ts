import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTraining } from '../../../../trainer/models/batch-norm-kernels.ts';
import { randomValues, sizeOf } from '../kernels/against-cpu.ts';
import { onednnBuilt, prepareOnednn, worstError } from './on-onednn.ts';

const shapes = [
  [4, 5, 5, 7],
  [3, 10],
  [1, 3, 3, 16],
  [2, 6, 6, 33],
];

describe.skipIf(!onednnBuilt)('onednn batch normalisation matches the stock ops on cpu', () => {
  beforeAll(prepareOnednn);

  it.each(shapes)('training forward (y, mean, variance) and dx, dγ, dβ on %j', async (...shape) => {
    const c = shape[shape.length - 1] ?? 1;
    const xValues = randomValues(sizeOf(shape), 20).map((v) => 3 * v + 1);
    const worst = await worstError(() => {
      const x = tf.tensor(xValues, shape);
      const gamma = tf.tensor1d(randomValues(c, 21));
      const beta = tf.tensor1d(randomValues(c, 22));
      const r = tf.tensor(randomValues(sizeOf(shape), 23), shape);
      const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-5);
      const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const out = batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
        tf.dispose([out.mean, out.variance]);
        return tf.sum(tf.mul(out.y, r));
      };
      const grads = tf.grads(loss)([x, gamma, beta]);
      return [y, mean, variance, ...grads];
    });
    expect(worst, shape.join('×')).toBeLessThanOrEqual(1e-4);
  });

  it('inference with given statistics (FusedBatchNorm), with and without scale and offset', async () => {
    const worst = await worstError(() => {
      const x = tf.tensor4d(randomValues(2 * 4 * 4 * 6, 24), [2, 4, 4, 6]);
      const mean = tf.tensor1d(randomValues(6, 25));
      const variance = tf.tensor1d(randomValues(6, 26).map(Math.abs));
      const scale = tf.tensor1d(randomValues(6, 27));
      const offset = tf.tensor1d(randomValues(6, 28));
      return [tf.batchNorm(x, mean, variance, offset, scale, 1e-3), tf.batchNorm(x, mean, variance)];
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});
