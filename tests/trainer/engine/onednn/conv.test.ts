import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { convCases, convLabel } from '../conv-cases.ts';
import { randomValues, sizeOf } from '../kernels/against-cpu.ts';
import { onednnBuilt, prepareOnednn, worstError } from './on-onednn.ts';

describe.skipIf(!onednnBuilt)('onednn Conv2D and its gradients match stock cpu', () => {
  beforeAll(prepareOnednn);

  it.each(convCases)('forward, input gradient and filter gradient: $x / $filter', async (c) => {
    const xValues = randomValues(sizeOf(c.x), 1);
    const wValues = randomValues(sizeOf(c.filter), 2);
    const worst = await worstError(() => {
      const x = tf.tensor4d(xValues, c.x);
      const w = tf.tensor4d(wValues, c.filter);
      const conv = (a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilation ?? 1);
      const y = conv(x, w);
      // tfjs has no conv gradient for dilations > 1: the forward only.
      if ((c.dilation ?? 1) > 1) return [y];
      // A non-uniform output gradient: d(sum(y · r))/dy = r.
      const r = tf.tensor(randomValues(y.size, 3), y.shape);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), r)))([x, w]);
      return [y, dx as tf.Tensor, dw as tf.Tensor];
    });
    expect(worst, convLabel(c)).toBeLessThanOrEqual(1e-4);
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
