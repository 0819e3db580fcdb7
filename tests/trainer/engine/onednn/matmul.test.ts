import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues, sizeOf } from '../kernels/against-cpu.ts';
import { onednnBuilt, prepareOnednn, worstError } from './on-onednn.ts';

interface Case {
  readonly name: string;
  readonly a: number[];
  readonly b: number[];
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

const cases: Case[] = [
  { name: '2-D', a: [5, 7], b: [7, 3] },
  { name: 'transposeA', a: [7, 5], b: [7, 3], transposeA: true },
  { name: 'transposeB', a: [5, 7], b: [3, 7], transposeB: true },
  { name: 'both transposed', a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { name: 'batched', a: [4, 6, 9], b: [4, 9, 2] },
  { name: 'batch broadcast of b', a: [3, 6, 9], b: [1, 9, 5] },
  // LSTM gates: [x, h] (batch 32, input 64 + hidden 128) times W (192 × 4·128).
  { name: 'LSTM gates', a: [32, 192], b: [192, 512] },
  { name: 'LSTM gate weight gradient', a: [32, 192], b: [32, 512], transposeA: true },
  { name: 'vector-like', a: [1, 31], b: [31, 1] },
  // Above and below the size where products run as a loop instead of through oneDNN (32K
  // multiply-adds): the BiLSTM's batched gates, and a broadcast of a's batch on each path.
  { name: 'BiLSTM gates (loop)', a: [2, 8, 16], b: [2, 4, 16], transposeB: true },
  { name: 'batch broadcast of a (loop)', a: [1, 6, 5], b: [3, 5, 4], transposeA: false },
  {
    name: 'batch broadcast of a (oneDNN)',
    a: [1, 50, 40],
    b: [3, 30, 50],
    transposeA: true,
    transposeB: true,
  },
];

describe.skipIf(!onednnBuilt)('onednn BatchMatMul and _FusedMatMul match stock cpu', () => {
  beforeAll(prepareOnednn);

  it.each(cases)('product and both gradients: $name', async (c) => {
    const aValues = randomValues(sizeOf(c.a), 7);
    const bValues = randomValues(sizeOf(c.b), 8);
    const worst = await worstError(() => {
      const a = tf.tensor(aValues, c.a);
      const b = tf.tensor(bValues, c.b);
      const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, c.transposeA, c.transposeB);
      const y = product(a, b);
      // tfjs's BatchMatMul gradient does not reduce a broadcast batch: the forward only.
      if (sizeOf(c.a.slice(0, -2)) !== sizeOf(c.b.slice(0, -2))) return [y];
      const r = tf.tensor(randomValues(y.size, 9), y.shape);
      const [da, db] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(product(x, w), r)))([a, b]);
      return [y, da as tf.Tensor, db as tf.Tensor];
    });
    expect(worst, c.name).toBeLessThanOrEqual(1e-4);
  });

  it.each(['linear', 'relu'] as const)(
    'a dense layer step: bias and %s activation fused',
    async (activation) => {
      const worst = await worstError(() => {
        const x = tf.tensor2d(randomValues(17 * 33, 10), [17, 33]);
        const w = tf.tensor2d(randomValues(33 * 13, 11), [33, 13]);
        const bias = tf.tensor1d(randomValues(13, 12));
        const dense = (a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
          tf.fused.matMul({ a: a as tf.Tensor2D, b: k as tf.Tensor2D, bias: b, activation });
        const grads = tf.grads((a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(dense(a, k, b))),
        )([x, w, bias]);
        return [dense(x, w, bias), ...grads];
      });
      expect(worst).toBeLessThanOrEqual(1e-4);
    },
  );
});
