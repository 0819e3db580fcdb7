import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues, sizeOf } from '../kernels/against-cpu.ts';
import { onednnBuilt, prepareOnednn, worstError } from './on-onednn.ts';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly stride: number;
  readonly pad: Pad;
  readonly dilation?: number;
}

const cases: Case[] = [
  { x: [1, 7, 7, 3], filter: [1, 1, 3, 5], stride: 1, pad: 'valid' },
  { x: [2, 9, 9, 5], filter: [3, 3, 5, 7], stride: 1, pad: 'same' },
  // tfjs's asymmetric "same" at stride 2: 0 rows before, 1 after.
  { x: [2, 8, 10, 5], filter: [3, 3, 5, 6], stride: 2, pad: 'same' },
  { x: [3, 11, 11, 4], filter: [5, 5, 4, 9], stride: 3, pad: 'valid' },
  { x: [1, 13, 13, 3], filter: [7, 7, 3, 10], stride: 2, pad: 'same' },
  { x: [2, 9, 9, 16], filter: [3, 3, 16, 16], stride: 2, pad: 'valid' },
  { x: [1, 5, 6, 12], filter: [1, 1, 12, 20], stride: 2, pad: 'valid' },
  {
    x: [2, 6, 6, 11],
    filter: [3, 3, 11, 4],
    stride: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ],
  },
  { x: [1, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same', dilation: 2 },
];

const label = (c: Case) =>
  `x ${c.x.join('×')}, filter ${c.filter.join('×')}, stride ${c.stride}, pad ${JSON.stringify(c.pad)}` +
  (c.dilation ? `, dilation ${c.dilation}` : '');

describe.skipIf(!onednnBuilt)('onednn Conv2D and its gradients match stock cpu', () => {
  beforeAll(prepareOnednn);

  it.each(cases)('forward, input gradient and filter gradient: $x / $filter', async (c) => {
    const xValues = randomValues(sizeOf(c.x), 1);
    const wValues = randomValues(sizeOf(c.filter), 2);
    const worst = await worstError(() => {
      const x = tf.tensor4d(xValues, c.x);
      const w = tf.tensor4d(wValues, c.filter);
      const conv = (a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation ?? 1);
      const y = conv(x, w);
      // tfjs has no conv gradient for dilations > 1: the forward only.
      if ((c.dilation ?? 1) > 1) return [y];
      // A non-uniform output gradient: d(sum(y · r))/dy = r.
      const r = tf.tensor(randomValues(y.size, 3), y.shape);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), r)))([x, w]);
      return [y, dx as tf.Tensor, dw as tf.Tensor];
    });
    expect(worst, label(c)).toBeLessThanOrEqual(1e-4);
  });

  it('fuses bias and ReLU (FusedConv2D) as tfjs does', async () => {
    const worst = await worstError(() =>
      tf.fused.conv2d({
        x: tf.tensor4d(randomValues(2 * 8 * 8 * 6, 4), [2, 8, 8, 6]),
        filter: tf.tensor4d(randomValues(3 * 3 * 6 * 9, 5), [3, 3, 6, 9]),
        strides: 1,
        pad: 'same',
        bias: tf.tensor1d(randomValues(9, 6)),
        activation: 'relu',
      }),
    );
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});
