import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues, relativeError, sizeOf } from '../kernels/against-cpu.ts';
import { onednnBuilt, prepareOnednn, runOn, worstError } from './on-onednn.ts';

const binaryCases: { name: string; a: number[]; b: number[] }[] = [
  { name: 'same shape', a: [3, 5, 7], b: [3, 5, 7] },
  { name: 'per channel', a: [2, 4, 4, 9], b: [9] },
  { name: 'inner broadcast', a: [2, 3, 4], b: [3, 1] },
  { name: 'scalar', a: [6, 5], b: [] },
  { name: 'operand order swapped', a: [5], b: [4, 3, 5] },
  { name: 'two-sided broadcast (stays on cpu)', a: [4, 1], b: [1, 6] },
];

const ops = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, maximum: tf.maximum, minimum: tf.minimum };

describe.skipIf(!onednnBuilt)('onednn element-wise kernels match stock cpu', () => {
  beforeAll(prepareOnednn);

  it.each(binaryCases)('Add, Sub, Multiply, RealDiv, Maximum, Minimum: $name', async (c) => {
    const aValues = randomValues(sizeOf(c.a), 13);
    const bValues = randomValues(sizeOf(c.b), 14);
    for (const [name, op] of Object.entries(ops)) {
      const worst = await worstError(() => op(tf.tensor(aValues, c.a), tf.tensor(bValues, c.b)));
      expect(worst, `${name} ${c.name}`).toBeLessThanOrEqual(1e-6);
    }
  });

  it('int32 arithmetic stays exact (cpu path)', async () => {
    const worst = await worstError(() => tf.add(tf.tensor1d([1, 2, 3], 'int32'), tf.scalar(4, 'int32')));
    expect(worst).toBe(0);
  });

  it('Relu and its gradient (one native pass), odd sizes and large ones', async () => {
    for (const shape of [[7], [3, 5, 11], [64, 33, 17]]) {
      const values = randomValues(sizeOf(shape), 15);
      const worst = await worstError(() => {
        const x = tf.tensor(values, shape);
        const r = tf.tensor(randomValues(sizeOf(shape), 16), shape);
        const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), r)))(x);
        return [tf.relu(x), dx];
      });
      expect(worst, shape.join('×')).toBe(0);
    }
  });
});

interface PoolCase {
  readonly kind: 'max' | 'avg';
  readonly x: [number, number, number, number];
  readonly size: number;
  readonly stride: number;
  readonly pad: 'same' | 'valid';
}

const poolCases: PoolCase[] = [
  { kind: 'max', x: [2, 9, 9, 5], size: 3, stride: 2, pad: 'same' },
  { kind: 'max', x: [1, 10, 10, 3], size: 3, stride: 2, pad: 'valid' },
  { kind: 'max', x: [3, 8, 8, 17], size: 2, stride: 2, pad: 'valid' },
  { kind: 'avg', x: [2, 8, 8, 6], size: 2, stride: 2, pad: 'valid' },
  { kind: 'avg', x: [1, 9, 9, 4], size: 3, stride: 3, pad: 'valid' },
];

// Windows over the border: tfjs's forward averages the valid cells only, but the cpu AvgPoolGrad
// divides by the full window (tfjs-backend-cpu 4.22 AvgPoolGrad.js), which is not the gradient of
// that forward. The reference gradient here is the true one: the same average written as a
// depthwise convolution with a ones filter divided by the per-cell count, differentiated on cpu.
const borderCases: PoolCase[] = [
  { kind: 'avg', x: [1, 7, 7, 4], size: 3, stride: 1, pad: 'same' },
  { kind: 'avg', x: [2, 9, 9, 3], size: 3, stride: 2, pad: 'same' },
];

function averageAsConvolution(x: tf.Tensor4D, c: PoolCase): tf.Tensor {
  const ones = tf.ones([c.size, c.size, c.x[3], 1]) as tf.Tensor4D;
  const sums = tf.depthwiseConv2d(x, ones, c.stride, c.pad);
  const counts = tf.depthwiseConv2d(tf.onesLike(x), ones, c.stride, c.pad);
  return tf.div(sums, counts);
}

describe.skipIf(!onednnBuilt)('onednn pooling and its gradients match stock cpu', () => {
  beforeAll(prepareOnednn);

  it.each(poolCases)('$kind pool $size×$size stride $stride $pad on $x', async (c) => {
    const values = randomValues(sizeOf(c.x), 17);
    const worst = await worstError(() => {
      const x = tf.tensor4d(values, c.x);
      const pool = (a: tf.Tensor) =>
        c.kind === 'max'
          ? tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad)
          : tf.avgPool(a as tf.Tensor4D, c.size, c.stride, c.pad);
      const y = pool(x);
      const r = tf.tensor(randomValues(y.size, 18), y.shape);
      return [y, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), r)))(x)];
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});

describe.skipIf(!onednnBuilt)('onednn average pooling over the border', () => {
  beforeAll(prepareOnednn);

  it.each(borderCases)(
    'forward matches cpu, gradient matches the true gradient: $size×$size stride $stride $pad on $x',
    async (c) => {
      const values = randomValues(sizeOf(c.x), 19);
      const seedOut = 29;
      const pooled = (a: tf.Tensor) => tf.avgPool(a as tf.Tensor4D, c.size, c.stride, c.pad);
      const onPool = (pool: (a: tf.Tensor) => tf.Tensor) => () => {
        const x = tf.tensor4d(values, c.x);
        const y = pool(x);
        const r = tf.tensor(randomValues(y.size, seedOut), y.shape);
        return [y, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), r)))(x)];
      };
      const [reference, referenceGrad] = await runOn(
        'cpu',
        onPool((a) => averageAsConvolution(a as tf.Tensor4D, c)),
      );
      const [actual, actualGrad] = await runOn('onednn', onPool(pooled));
      const [stock] = await runOn('cpu', onPool(pooled));
      expect(relativeError(actual?.values ?? [], stock?.values ?? [])).toBeLessThanOrEqual(1e-5);
      expect(relativeError(actual?.values ?? [], reference?.values ?? [])).toBeLessThanOrEqual(1e-5);
      expect(relativeError(actualGrad?.values ?? [], referenceGrad?.values ?? [])).toBeLessThanOrEqual(1e-5);
    },
  );
});
