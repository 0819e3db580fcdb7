import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OnednnBackend } from '../../../../trainer/engine/onednn/index.ts';
import { batchNormTraining } from '../../../../trainer/models/batch-norm-kernels.ts';
import { randomValues, sizeOf } from '../kernels/against-cpu.ts';
import { onednnBuilt, prepareOnednn, worstError } from './on-onednn.ts';

// Every native kernel with operands the addon cannot read directly: int32 and bool tensors, and
// float32 tensors that tfjs's cpu Cast leaves stored as an Int32Array or Uint8Array (a cast
// without encoding loss keeps the source array, as the losses' one-hot labels are). Each case
// must match stock cpu: handed off to the cpu kernel, or read through a float32 copy.

/** Small integers in [-4, 4] (exact in float32 and int32). */
function ints(size: number, seed: number): number[] {
  return Array.from(randomValues(size, seed), (v) => Math.round(v * 4));
}

/** float32 by dtype, stored as the Int32Array of the int32 tensor it was cast from. */
function castInts(shape: number[], seed: number): tf.Tensor {
  return tf.cast(tf.tensor(ints(sizeOf(shape), seed), shape, 'int32'), 'float32');
}

/** float32 by dtype, stored as the Uint8Array of a bool tensor. */
function castBools(shape: number[], seed: number): tf.Tensor {
  return tf.cast(tf.greater(tf.tensor(randomValues(sizeOf(shape), seed), shape), 0), 'float32');
}

function floats(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(sizeOf(shape), seed), shape);
}

const binaryOps = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: tf.div,
  maximum: tf.maximum,
  minimum: tf.minimum,
};

// `zeros`: b holds zeros, so RealDiv is left out (x/0 is ±Inf or NaN on both backends).
const binaryCases: { name: string; a: () => tf.Tensor; b: () => tf.Tensor; zeros?: true }[] = [
  { name: 'float32 · cast int32', a: () => floats([3, 4], 1), b: () => castInts([3, 4], 2) },
  { name: 'cast bool · float32', a: () => castBools([3, 4], 3), b: () => floats([3, 4], 4) },
  { name: 'float32 · cast bool row', a: () => floats([2, 3, 5], 5), b: () => castBools([5], 6), zeros: true },
  { name: 'cast int32 · float32 scalar', a: () => castInts([7], 7), b: () => tf.scalar(0.25) },
  { name: 'float32 scalar · cast bool', a: () => tf.scalar(3), b: () => castBools([4, 2], 8), zeros: true },
  {
    name: 'int32 · int32 scalar',
    a: () => tf.tensor(ints(6, 9), [2, 3], 'int32'),
    b: () => tf.scalar(2, 'int32'),
  },
];

describe.skipIf(!onednnBuilt)('onednn kernels with operands not stored as float32 match stock cpu', () => {
  beforeAll(prepareOnednn);

  it('a cast from int32 or bool to float32 is stored as the source array (the case under test)', async () => {
    await tf.setBackend('onednn');
    const backend = tf.backend() as OnednnBackend;
    tf.tidy(() => {
      expect(backend.storesFloat32(castInts([3], 1))).toBe(false);
      expect(backend.storesFloat32(castBools([3], 1))).toBe(false);
      expect(backend.storesFloat32(floats([3], 1))).toBe(true);
    });
  });

  it.each(binaryCases)('Add, Sub, Multiply, RealDiv, Maximum, Minimum: $name', async (c) => {
    for (const [name, op] of Object.entries(binaryOps)) {
      if (c.zeros && name === 'div') continue;
      const worst = await worstError(() => op(c.a(), c.b()));
      expect(worst, name).toBeLessThanOrEqual(1e-6);
    }
  });

  it('Relu and its native gradient on a cast int32 tensor', async () => {
    const worst = await worstError(() => {
      const x = castInts([4, 5], 10);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), castBools([4, 5], 11))))(x);
      return [tf.relu(x), tf.relu(tf.tensor(ints(6, 12), [6], 'int32')), dx];
    });
    expect(worst).toBe(0);
  });

  it('MatMul, its gradients and the fused bias/ReLU form with cast operands; int32 matMul', async () => {
    const worst = await worstError(() => {
      const a = castInts([5, 3], 13);
      const b = floats([3, 4], 14);
      const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)),
      )([a, b]);
      const fused = tf.fused.matMul({
        a: a as tf.Tensor2D,
        b: castBools([3, 4], 15) as tf.Tensor2D,
        bias: castInts([4], 16),
        activation: 'relu',
      });
      const int = tf.matMul(
        tf.tensor2d(ints(6, 17), [2, 3], 'int32'),
        tf.tensor2d(ints(6, 18), [3, 2], 'int32'),
      );
      return [
        tf.matMul(a as tf.Tensor2D, castInts([4, 5], 30) as tf.Tensor2D, true, true),
        fused,
        int,
        ...(da && db ? [da, db] : []),
      ];
    });
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('Conv2D, its gradients, pooling and their gradients on a cast int32 image batch', async () => {
    const worst = await worstError(() => {
      const x = castInts([2, 6, 6, 3], 19) as tf.Tensor4D;
      const filter = floats([3, 3, 3, 4], 20) as tf.Tensor4D;
      const conv = (a: tf.Tensor, f: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 1, 'same');
      const grads = tf.grads((a: tf.Tensor, f: tf.Tensor) => tf.sum(conv(a, f)))([x, filter]);
      const pool = (a: tf.Tensor) =>
        tf.add(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), tf.avgPool(a as tf.Tensor4D, 2, 2, 'valid'));
      const poolGrad = tf.grad((a: tf.Tensor) => tf.sum(pool(a)))(x);
      return [conv(x, castBools([3, 3, 3, 4], 21)), ...grads, pool(x), poolGrad];
    });
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('Slice, PadV2, Sum and Mean on int32 and cast tensors', async () => {
    const worst = await worstError(() => {
      const int = tf.tensor(ints(60, 22), [3, 4, 5], 'int32');
      const cast = castInts([3, 4, 5], 23);
      return [int, cast].flatMap((t) => [
        tf.slice(t, [1, 1, 1], [2, 2, 3]),
        tf.pad(t, [
          [0, 1],
          [1, 0],
          [2, 2],
        ]),
        tf.sum(t, 1),
        tf.mean(t, [1, 2]),
      ]);
    });
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('batch normalisation (training with its gradient, and inference) on cast inputs', async () => {
    const worst = await worstError(() => {
      const x = castInts([3, 4, 4, 5], 24);
      const gamma = tf.tensor1d(randomValues(5, 25));
      const beta = castInts([5], 26) as tf.Tensor1D;
      const loss = (a: tf.Tensor, g: tf.Tensor) => {
        const out = batchNormTraining(a, g as tf.Tensor1D, beta, 1e-5);
        tf.dispose([out.mean, out.variance]);
        return tf.sum(tf.mul(out.y, castBools([3, 4, 4, 5], 27)));
      };
      const inference = tf.batchNorm(x, castInts([5], 28), tf.ones([5]), castBools([5], 29), gamma);
      return [...tf.grads(loss)([x, gamma]), inference];
    });
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});
