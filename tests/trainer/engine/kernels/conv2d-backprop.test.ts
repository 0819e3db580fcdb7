import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConvCase, convGradientCases, convLabel } from '../conv-cases.ts';
import { onBoth, prepareBackends, randomValues, relativeError, sizeOf } from './against-cpu.ts';

function inputs(c: ConvCase, seed: number) {
  const x = tf.tensor4d(randomValues(sizeOf(c.x), seed), c.x);
  const filter = tf.tensor4d(randomValues(sizeOf(c.filter), seed + 1), c.filter);
  const y = tf.conv2d(x, filter, c.strides, c.pad);
  const dy = tf.tensor4d(randomValues(y.size, seed + 2), y.shape);
  return { x, filter, dy };
}

beforeAll(prepareBackends);

const runBackprop = (
  kernel: string,
  c: ConvCase,
  inputs: tf.NamedTensorMap,
  shape: Record<string, number[]>,
) =>
  tf
    .engine()
    .runKernel(kernel, inputs, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', ...shape }) as tf.Tensor;

const backprops = [
  {
    name: 'Conv2DBackpropFilter on wasm (missing in stock wasm)',
    seed: 0,
    run: (c: ConvCase, { x, dy }: ReturnType<typeof inputs>) =>
      runBackprop(tf.Conv2DBackpropFilter, c, { x, dy }, { filterShape: c.filter }),
    shape: (c: ConvCase) => c.filter,
  },
  {
    name: 'Conv2DBackpropInput on wasm',
    seed: 50,
    run: (c: ConvCase, { filter, dy }: ReturnType<typeof inputs>) =>
      runBackprop(tf.Conv2DBackpropInput, c, { dy, filter }, { inputShape: c.x }),
    shape: (c: ConvCase) => c.x,
  },
];

describe.each(backprops.map((b) => [b.name, b] as const))('%s matches cpu', (_, backprop) => {
  it.each(convGradientCases.map((c, i) => [convLabel(c), c, i] as const))('%s', async (_, c, i) => {
    const { reference, actual } = await onBoth(() => backprop.run(c, inputs(c, 100 * i + backprop.seed)));
    expect(actual.shape).toEqual(backprop.shape(c));
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-4);
  });
});

describe('conv2d gradients through tf.grads (both kernels, as training uses them)', () => {
  it('match cpu for a strided, biased, ReLU-fused convolution', async () => {
    const c = convGradientCases.find((k) => k.strides === 3 && k.pad === 'same') as ConvCase;
    const both = await onBoth(() => {
      const { x, filter } = inputs(c, 7);
      const bias = tf.tensor1d(randomValues(c.filter[3], 9));
      const f = (a: tf.Tensor, w: tf.Tensor) =>
        tf.fused
          .conv2d({
            x: a as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            strides: c.strides,
            pad: c.pad as 'same',
            bias,
            activation: 'relu',
          })
          .square()
          .sum();
      const [dx, dw] = tf.grads(f)([x, filter]) as [tf.Tensor, tf.Tensor];
      return tf.concat([dx.flatten(), dw.flatten()]);
    });
    expect(relativeError(both.actual.values, both.reference.values)).toBeLessThanOrEqual(1e-4);
  });
});
