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

  it.each(shapes)(
    'with a trailing ReLU, and with a residual before it: outputs and every gradient on %j',
    async (...shape) => {
      const c = shape[shape.length - 1] ?? 1;
      const n = sizeOf(shape);
      const xValues = randomValues(n, 30).map((v) => 2 * v - 0.5);
      const worst = await worstError(() => {
        const x = tf.tensor(xValues, shape);
        const gamma = tf.tensor1d(randomValues(c, 31));
        const beta = tf.tensor1d(randomValues(c, 32));
        const residual = tf.tensor(randomValues(n, 33), shape);
        const r = tf.tensor(randomValues(n, 34), shape);
        const fused = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor, s?: tf.Tensor) =>
          batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, {
            relu: true,
            ...(s === undefined ? {} : { residual: s }),
          });
        const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor, s?: tf.Tensor) => {
          const out = fused(a, g, b, s);
          tf.dispose([out.mean, out.variance]);
          return tf.sum(tf.mul(out.y, r));
        };
        const plain = fused(x, gamma, beta);
        const added = fused(x, gamma, beta, residual);
        const outputs = [
          ...[plain, added].flatMap((o) => [o.y, o.mean, o.variance]),
          ...tf.grads((a, g, b) => loss(a, g, b))([x, gamma, beta]),
          ...tf.grads(loss)([x, gamma, beta, residual]),
        ];
        // Kernels of the same shapes after the gradients: a gradient whose buffer went back to the
        // pool while still referenced (the masked dy is scratch without a residual) would be
        // overwritten by these before the outputs are read.
        for (let i = 0; i < 3; i++) outputs.push(tf.relu(tf.add(x, residual)), tf.mul(residual, x));
        return outputs;
      });
      expect(worst, shape.join('×')).toBeLessThanOrEqual(1e-4);
    },
  );

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
