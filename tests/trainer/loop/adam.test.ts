import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decodeOptimizerState, encodeOptimizerState } from '../../../trainer/checkpoint/optimizer-state.ts';
import { type AdamSettings, createAdam } from '../../../trainer/loop/adam.ts';
import { relativeError } from '../../support/relative-error.ts';

// Golden: scripts/golden/make_adam_golden.py (torch.optim.Adam, float64).
interface Golden {
  x: number[];
  y: number[];
  w0: number[];
  b0: number[];
  lrs: number[];
  runs: { config: AdamSettings; steps: { w: number[]; b: number[] }[] }[];
}
const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/golden/adam.json', import.meta.url), 'utf8'),
) as Golden;

function problem() {
  const x = tf.tensor2d(golden.x, [4, 3]);
  const y = tf.tensor2d(golden.y, [4, 2]);
  const w = tf.variable(tf.tensor2d(golden.w0, [3, 2]));
  const b = tf.variable(tf.tensor1d(golden.b0));
  const step = (optimizer: ReturnType<typeof createAdam>, lr: number) =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar,
        [w, b],
      );
      optimizer.apply([w, b], grads, lr);
    });
  return { w, b, step, dispose: () => tf.dispose([x, y, w, b]) };
}

describe('Adam', () => {
  it.each(golden.runs.map((run) => [JSON.stringify(run.config), run] as const))(
    'matches torch.optim.Adam step by step (%s)',
    (_, run) => {
      const p = problem();
      const adam = createAdam(run.config);
      golden.lrs.forEach((lr, i) => {
        p.step(adam, lr);
        const expected = run.steps[i];
        expect(relativeError(p.w.dataSync(), expected?.w ?? [])).toBeLessThanOrEqual(1e-4);
        expect(relativeError(p.b.dataSync(), expected?.b ?? [])).toBeLessThanOrEqual(1e-4);
      });
      adam.dispose();
      p.dispose();
    },
  );

  it('resumes exactly from its saved moments and step count, through the checkpoint encoding', async () => {
    const config = golden.runs[1]?.config as AdamSettings;
    const straight = problem();
    const uninterrupted = createAdam(config);
    for (const lr of golden.lrs) straight.step(uninterrupted, lr);

    const first = problem();
    const before = createAdam(config);
    for (const lr of golden.lrs.slice(0, 3)) first.step(before, lr);
    const encoded = encodeOptimizerState((await before.exportState()).buffers);
    const after = createAdam(config);
    after.importState({ buffers: decodeOptimizerState(encoded.spec, encoded.data) }, [first.w, first.b]);
    for (const lr of golden.lrs.slice(3)) first.step(after, lr);

    expect(Array.from(first.w.dataSync())).toEqual(Array.from(straight.w.dataSync()));
    expect(Array.from(first.b.dataSync())).toEqual(Array.from(straight.b.dataSync()));
    const numTensors = tf.memory().numTensors;
    first.step(after, 0.01);
    expect(tf.memory().numTensors).toBe(numTensors);
    for (const o of [uninterrupted, before, after]) o.dispose();
    straight.dispose();
    first.dispose();
  });

  it('refuses a saved state that is not Adam’s', () => {
    const p = problem();
    const adam = createAdam(golden.runs[0]?.config as AdamSettings);
    const momentum = { name: 'v0', shape: [3, 2], values: new Float32Array(6) };
    expect(() => adam.importState({ buffers: [momentum, momentum] }, [p.w, p.b])).toThrow(
      'Adam needs 2 per variable',
    );
    p.dispose();
  });
});
