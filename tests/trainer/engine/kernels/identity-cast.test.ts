import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { onBoth, prepareBackends, randomValues } from './against-cpu.ts';

beforeAll(prepareBackends);

const offsetOf = (t: tf.Tensor) => (tf.backend() as BackendWasm).getMemoryOffset(t.dataId);

describe('Identity and same-dtype Cast on wasm share the buffer', () => {
  it('clone shares memory with its source and outlives it', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d(randomValues(64, 1));
    const expected = Array.from(x.dataSync());
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    expect(offsetOf(y)).toBe(offsetOf(x));
    expect(offsetOf(z)).toBe(offsetOf(x));
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(expected);
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual(expected);
    z.dispose();
  });

  it('still converts between dtypes like cpu (bool is x ≠ 0, which stock wasm got wrong)', async () => {
    const { reference, actual } = await onBoth(() => {
      const floats = tf.tensor1d([-2.7, -0.5, 0, 0.4, 3.9, Number.NaN, 256]);
      return tf.concat([
        tf.cast(tf.cast(floats, 'int32'), 'float32'),
        tf.cast(tf.cast(floats, 'bool'), 'float32'),
      ]);
    });
    expect(actual).toEqual(reference);
  });

  it('keeps gradients through saved (cloned) tensors equal to cpu', async () => {
    const { reference, actual } = await onBoth(() => {
      const x = tf.tensor2d(randomValues(6 * 5, 4), [6, 5]);
      return tf.grad((a: tf.Tensor) => tf.relu(a).mul(tf.sigmoid(a)).square().sum())(x);
    });
    expect(actual.values.map((v) => Math.fround(v))).toEqual(actual.values);
    expect(actual.values.length).toBe(reference.values.length);
    for (const [i, v] of actual.values.entries()) expect(v).toBeCloseTo(reference.values[i] ?? Number.NaN, 5);
  });
});
