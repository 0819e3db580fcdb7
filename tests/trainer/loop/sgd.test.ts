import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSgd } from '../../../trainer/loop/sgd.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createSgd (PyTorch SGD: g ← g + wd·w; v ← μ·v + g; w ← w − lr·v)', () => {
  it('matches two hand-computed steps', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const sgd = createSgd({ momentum: 0.9, weightDecay: 0.1 });
    tf.tidy(() => sgd.apply([w], { [w.name]: tf.tensor1d([0.5, 0.5]) }, 0.1));
    // g = [0.5 + 0.1, 0.5 − 0.2] = [0.6, 0.3]; v = g; w = [1 − 0.06, −2 − 0.03]
    expect(Array.from(w.dataSync())).toEqual([expect.closeTo(0.94, 6), expect.closeTo(-2.03, 6)]);
    tf.tidy(() => sgd.apply([w], { [w.name]: tf.tensor1d([0, 1]) }, 0.01));
    // g = [0.094, 1 − 0.203] ; v = 0.9·[0.6, 0.3] + g = [0.634, 1.067]; w −= 0.01·v
    expect(Array.from(w.dataSync())).toEqual([
      expect.closeTo(0.94 - 0.00634, 6),
      expect.closeTo(-2.03 - 0.01067, 6),
    ]);
    sgd.dispose();
    w.dispose();
  });

  it('exports and imports its momentum buffers so a restored optimizer takes the same step', async () => {
    const grads = (v: tf.Variable) => ({ [v.name]: tf.tensor1d([0.3, -0.7, 1.1]) });
    const a = tf.variable(tf.tensor1d([1, 2, 3]));
    const original = createSgd({ momentum: 0.9, weightDecay: 2e-4 });
    tf.tidy(() => original.apply([a], grads(a), 0.1));
    const state = await original.exportState();
    expect(state.buffers).toHaveLength(1);
    expect(state.buffers[0]?.shape).toEqual([3]);

    const b = tf.variable(a.clone());
    const restored = createSgd({ momentum: 0.9, weightDecay: 2e-4 });
    restored.importState(state, [b]);
    tf.tidy(() => original.apply([a], grads(a), 0.1));
    tf.tidy(() => restored.apply([b], grads(b), 0.1));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(() =>
      restored.importState({ buffers: [{ name: 'x', shape: [2], values: new Float32Array(2) }] }, [b]),
    ).toThrow(/shape/);
    for (const d of [original, restored, a, b]) d.dispose();
  });

  it('allocates its buffers once: the tensor count stays flat after the first step', () => {
    const w = tf.variable(tf.ones([4, 4]));
    const sgd = createSgd({ momentum: 0.9, weightDecay: 1e-3 });
    tf.tidy(() => sgd.apply([w], { [w.name]: tf.onesLike(w) }, 0.1));
    const after = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.tidy(() => sgd.apply([w], { [w.name]: tf.onesLike(w) }, 0.1));
    expect(tf.memory().numTensors).toBe(after);
    sgd.dispose();
    w.dispose();
  });
});
