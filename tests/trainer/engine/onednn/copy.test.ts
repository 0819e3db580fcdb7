import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues, sizeOf } from '../kernels/against-cpu.ts';
import { onednnBuilt, prepareOnednn, worstError } from './on-onednn.ts';

const sliceCases: { shape: number[]; begin: number[]; size: number[] }[] = [
  // The ResNet shortcut: every second row and column of a [n, rows, 2, cols, 2, c] view.
  { shape: [3, 4, 2, 4, 2, 5], begin: [0, 0, 0, 0, 0, 0], size: [3, 4, 1, 4, 1, 5] },
  { shape: [4, 9, 7], begin: [1, 2, 3], size: [2, 5, 4] },
  { shape: [5, 6], begin: [0, 1], size: [5, 3] },
  { shape: [2, 3, 4, 5], begin: [0, 1, 0, 2], size: [-1, 2, 4, 3] },
];

const padCases: { shape: number[]; paddings: [number, number][]; value: number }[] = [
  {
    shape: [2, 5, 5, 3],
    paddings: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
    value: 0,
  },
  {
    shape: [3, 4, 1, 4, 1, 6],
    paddings: [
      [0, 0],
      [0, 0],
      [0, 1],
      [0, 0],
      [0, 1],
      [0, 0],
    ],
    value: 0,
  },
  {
    shape: [4, 7],
    paddings: [
      [2, 0],
      [1, 3],
    ],
    value: -1.5,
  },
  {
    shape: [2, 2, 2, 6],
    paddings: [
      [0, 0],
      [0, 0],
      [0, 0],
      [3, 5],
    ],
    value: 0,
  },
];

const reduceCases: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
  { shape: [4, 5, 5, 7], axis: [0, 1, 2], keepDims: false },
  { shape: [4, 3, 3, 9], axis: [1, 2], keepDims: false },
  { shape: [4, 3, 3, 9], axis: [1, 2], keepDims: true },
  { shape: [33, 300], axis: [0], keepDims: false },
  { shape: [6, 11], axis: [1], keepDims: true },
  { shape: [3, 4, 5], axis: [0, 2], keepDims: false },
];

describe.skipIf(!onednnBuilt)('onednn Slice, PadV2, Sum and Mean match stock cpu', () => {
  beforeAll(prepareOnednn);

  it.each(sliceCases)('slice of $shape at $begin, size $size, and its gradient (a pad)', async (c) => {
    const values = randomValues(sizeOf(c.shape), 30);
    const worst = await worstError(() => {
      const x = tf.tensor(values, c.shape);
      const y = tf.slice(x, c.begin, c.size);
      const r = tf.tensor(randomValues(y.size, 31), y.shape);
      return [y, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.slice(a, c.begin, c.size), r)))(x)];
    });
    expect(worst).toBe(0);
  });

  it.each(padCases)('pad of $shape by $paddings with $value, and its gradient (a slice)', async (c) => {
    const values = randomValues(sizeOf(c.shape), 32);
    const worst = await worstError(() => {
      const x = tf.tensor(values, c.shape);
      const y = tf.pad(x, c.paddings, c.value);
      const r = tf.tensor(randomValues(y.size, 33), y.shape);
      return [y, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.pad(a, c.paddings, c.value), r)))(x)];
    });
    expect(worst).toBe(0);
  });

  it.each(reduceCases)('sum and mean of $shape over $axis (keepDims $keepDims)', async (c) => {
    const values = randomValues(sizeOf(c.shape), 34);
    const worst = await worstError(() => {
      const x = tf.tensor(values, c.shape);
      return [tf.sum(x, c.axis, c.keepDims), tf.mean(x, c.axis, c.keepDims)];
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});

describe.skipIf(!onednnBuilt)('onednn UnsortedSegmentSum (the gradient of gather) matches stock cpu', () => {
  beforeAll(prepareOnednn);

  it('scatter-adds rows and an embedding gradient, dropping ids out of range', async () => {
    const worst = await worstError(() => {
      const x = tf.tensor2d(randomValues(7 * 5, 40), [7, 5]);
      const ids = tf.tensor1d([3, 0, 3, 9, 1, 1, -1], 'int32');
      const table = tf.tensor2d(randomValues(6 * 4, 41), [6, 4]);
      const tokens = tf.tensor2d([0, 5, 2, 5, 5, 1], [2, 3], 'int32');
      const r = tf.tensor3d(randomValues(2 * 3 * 4, 42), [2, 3, 4]);
      const dTable = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tokens), r)))(table);
      return [tf.unsortedSegmentSum(x, ids, 5), dTable];
    });
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});
