import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBoth, prepareBackends, randomValues, relativeError, sizeOf } from './against-cpu.ts';

// Transpose, Slice and Tile replacements move data only, so they must match cpu exactly.

beforeAll(prepareBackends);

const transposeCases: [number[], number[]][] = [
  [
    [7, 5],
    [1, 0],
  ],
  [
    [3, 4, 5],
    [2, 1, 0],
  ],
  [
    [3, 4, 5],
    [1, 0, 2],
  ],
  [
    [3, 4, 5],
    [0, 2, 1],
  ],
  [
    [5, 6, 7, 3],
    [3, 1, 2, 0],
  ],
  [
    [5, 6, 7, 3],
    [1, 2, 0, 3],
  ],
  [
    [2, 1, 7, 1, 3],
    [4, 2, 0, 3, 1],
  ],
  [
    [2, 3, 2, 3, 2, 3],
    [5, 0, 4, 1, 3, 2],
  ],
  [
    [1, 1, 1],
    [2, 0, 1],
  ],
  [
    [130, 3],
    [1, 0],
  ],
  [
    [9, 1, 1, 140],
    [3, 1, 2, 0],
  ],
];

describe('Transpose on wasm matches cpu', () => {
  it.each(transposeCases)('shape %j, perm %j', async (shape, perm) => {
    const { reference, actual } = await onBoth(() =>
      tf.transpose(tf.tensor(randomValues(sizeOf(shape), 3), shape), perm),
    );
    expect(actual).toEqual(reference);
  });

  it('keeps int32 values', async () => {
    const shape = [4, 3, 5];
    const values = Array.from({ length: sizeOf(shape) }, (_, i) => i * 7 - 50);
    const { reference, actual } = await onBoth(() =>
      tf.transpose(tf.tensor(values, shape, 'int32'), [2, 0, 1]),
    );
    expect(actual).toEqual(reference);
  });
});

const sliceCases: [number[], number[], number[]][] = [
  [[10], [3], [5]],
  [
    [6, 7],
    [1, 2],
    [4, -1],
  ],
  [
    [5, 6, 7, 8],
    [1, 0, 2, 3],
    [3, 6, 4, 2],
  ],
  [
    [5, 6, 7, 8],
    [0, 1, 1, 0],
    [5, 4, 5, 8],
  ],
  [
    [4, 3, 2, 3, 2, 5],
    [0, 0, 0, 0, 0, 0],
    [4, 3, 1, 3, 1, 5],
  ],
  [
    [3, 4, 2, 4, 2, 70],
    [1, 1, 1, 0, 1, 0],
    [2, 3, 1, 4, 1, 70],
  ],
  [
    [2, 3, 4, 5, 6],
    [1, 2, 3, 4, 5],
    [1, 1, 1, 1, 1],
  ],
];

describe('Slice on wasm matches cpu', () => {
  it.each(sliceCases)('shape %j, begin %j, size %j', async (shape, begin, size) => {
    const { reference, actual } = await onBoth(() =>
      tf.slice(tf.tensor(randomValues(sizeOf(shape), 5), shape), begin, size),
    );
    expect(actual).toEqual(reference);
  });

  it('slices int32 and bool tensors', async () => {
    const shape = [3, 4, 2, 3, 2, 2];
    const ints = Array.from({ length: sizeOf(shape) }, (_, i) => i - 40);
    const { reference, actual } = await onBoth(() => {
      const x = tf.tensor(ints, shape, 'int32');
      const sliced = tf.slice(x, [1, 0, 1, 0, 0, 1], [2, 4, 1, 3, 2, 1]);
      return tf.concat([
        sliced.flatten(),
        tf.slice(tf.greater(x, 0), [0, 1, 0, 0, 1, 0], [3, 2, 2, 3, 1, 2]).cast('int32').flatten(),
      ]);
    });
    expect(actual).toEqual(reference);
  });
});

const tileCases: [number[], number[]][] = [
  [
    [1, 1, 1, 16],
    [4, 5, 5, 1],
  ],
  [[3], [4]],
  [
    [2, 3],
    [3, 2],
  ],
  [
    [2, 1, 3],
    [1, 4, 2],
  ],
  [
    [2, 3, 1, 2],
    [2, 1, 3, 2],
  ],
  [
    [1, 2, 1, 2, 1],
    [2, 2, 2, 2, 2],
  ],
];

describe('Tile on wasm matches cpu', () => {
  it.each(tileCases)('shape %j, reps %j', async (shape, reps) => {
    const { reference, actual } = await onBoth(() =>
      tf.tile(tf.tensor(randomValues(sizeOf(shape), 11), shape), reps),
    );
    expect(actual).toEqual(reference);
  });

  it('tiles int32 tensors', async () => {
    const { reference, actual } = await onBoth(() =>
      tf.tile(tf.tensor([[1, -2, 3]], [1, 3], 'int32'), [3, 2]),
    );
    expect(actual).toEqual(reference);
  });
});

describe('the batch-norm gradient (which tiles) matches cpu', () => {
  it('for a [5, 6, 6, 7] activation', async () => {
    const shape = [5, 6, 6, 7];
    const { reference, actual } = await onBoth(() => {
      const x = tf.tensor4d(randomValues(sizeOf(shape), 21), shape as [number, number, number, number]);
      const gamma = tf.tensor1d(randomValues(7, 22));
      const beta = tf.tensor1d(randomValues(7, 23));
      const weights = tf.tensor4d(randomValues(sizeOf(shape), 24), shape as [number, number, number, number]);
      const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf
          .batchNorm4d(
            a as tf.Tensor4D,
            mean as tf.Tensor1D,
            variance as tf.Tensor1D,
            b as tf.Tensor1D,
            g as tf.Tensor1D,
            1e-5,
          )
          .mul(weights)
          .sum();
      };
      const grads = tf.grads(loss)([x, gamma, beta]);
      return tf.concat(grads.map((g) => g.flatten()));
    });
    expect(relativeError(actual.values, reference.values)).toBeLessThanOrEqual(1e-4);
  });
});
