import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBoth, prepareBackends, randomValues, relativeError, sizeOf } from './against-cpu.ts';

type Padding = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface ConvCase {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: Padding;
}

const cases: ConvCase[] = [
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [1, 9, 9, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [3, 9, 7, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'valid' },
  { x: [3, 10, 10, 4], filter: [5, 5, 4, 2], strides: 3, pad: 'same' },
  { x: [1, 11, 11, 3], filter: [5, 5, 3, 1], strides: 3, pad: 'valid' },
  { x: [5, 11, 11, 3], filter: [1, 1, 3, 6], strides: 2, pad: 'valid' },
  { x: [1, 7, 7, 1], filter: [1, 1, 1, 1], strides: 1, pad: 'same' },
  {
    x: [2, 10, 10, 3],
    filter: [3, 3, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  { x: [3, 12, 9, 5], filter: [3, 5, 5, 7], strides: [1, 2], pad: 'same' },
  {
    x: [1, 13, 13, 2],
    filter: [5, 3, 2, 3],
    strides: [3, 1],
    pad: [
      [0, 0],
      [2, 2],
      [0, 1],
      [0, 0],
    ],
  },
  // The CIFAR ResNet's stride-2 layer: explicit zero padding, then a valid convolution.
  { x: [3, 18, 18, 16], filter: [3, 3, 16, 32], strides: 2, pad: 'valid' },
  { x: [2, 16, 16, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
];

const label = (c: ConvCase) =>
  `x ${c.x.join('×')}, filter ${c.filter.join('×')}, strides ${c.strides}, pad ${JSON.stringify(c.pad)}`;

function inputs(c: ConvCase, seed: number) {
  const x = tf.tensor4d(randomValues(sizeOf(c.x), seed), c.x);
  const filter = tf.tensor4d(randomValues(sizeOf(c.filter), seed + 1), c.filter);
  const y = tf.conv2d(x, filter, c.strides, c.pad);
  const dy = tf.tensor4d(randomValues(y.size, seed + 2), y.shape);
  return { x, filter, dy };
}

beforeAll(prepareBackends);

describe('Conv2DBackpropFilter on wasm (missing in stock wasm) matches cpu', () => {
  it.each(cases.map((c, i) => [label(c), c, i] as const))('%s', async (_, c, i) => {
    const { reference, actual } = await onBoth(() => {
      const { x, dy } = inputs(c, 100 * i);
      return tf.engine().runKernel(
        tf.Conv2DBackpropFilter,
        { x, dy },
        {
          strides: c.strides,
          pad: c.pad,
          dataFormat: 'NHWC',
          filterShape: c.filter,
        },
      ) as tf.Tensor;
    });
    expect(actual.shape).toEqual(c.filter);
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-4);
  });
});

describe('Conv2DBackpropInput on wasm matches cpu', () => {
  it.each(cases.map((c, i) => [label(c), c, i] as const))('%s', async (_, c, i) => {
    const { reference, actual } = await onBoth(() => {
      const { filter, dy } = inputs(c, 100 * i + 50);
      return tf.engine().runKernel(
        tf.Conv2DBackpropInput,
        { dy, filter },
        {
          strides: c.strides,
          pad: c.pad,
          dataFormat: 'NHWC',
          inputShape: c.x,
        },
      ) as tf.Tensor;
    });
    expect(actual.shape).toEqual(c.x);
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-4);
  });
});

describe('conv2d gradients through tf.grads (both kernels, as training uses them)', () => {
  it('match cpu for a strided, biased, ReLU-fused convolution', async () => {
    const c = cases[3] as ConvCase;
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
