import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../../trainer/engine/backend.ts';
import { defaultAddonPath } from '../../../../trainer/engine/onednn/addon.ts';
import { relativeError } from '../kernels/against-cpu.ts';

// Shared by the onednn suites: the same computation on stock `cpu` (reference) and on `onednn`.

/**
 * Whether the addon is built. CI (a clean clone through scripts/setup.sh) must have it; a worktree
 * set up before the engine existed skips these suites until `bash scripts/setup.sh` is re-run.
 */
export const onednnBuilt = existsSync(defaultAddonPath) || process.env.CI === 'true';

export async function prepareOnednn(): Promise<void> {
  await selectBackend('onednn', { LDAM_THREADS: '2' });
}

export interface Result {
  readonly shape: number[];
  readonly values: number[];
}

/** Runs `compute` on `backend`, reading every output back and checking nothing leaked. */
export async function runOn(
  backend: 'cpu' | 'onednn',
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<Result[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(compute);
  const list = Array.isArray(out) ? out : [out];
  const results: Result[] = [];
  for (const t of list) results.push({ shape: t.shape.slice(), values: Array.from(await t.data()) });
  tf.dispose(list);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${leaked} tensors leaked on ${backend}`);
  return results;
}

/** Worst ‖onednn − cpu‖/‖cpu‖ over the outputs; throws if shapes differ. */
export async function worstError(compute: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const reference = await runOn('cpu', compute);
  const actual = await runOn('onednn', compute);
  let worst = 0;
  reference.forEach((r, i) => {
    const a = actual[i];
    if (a === undefined || a.shape.join() !== r.shape.join()) {
      throw new Error(`output ${i}: shape ${a?.shape} instead of ${r.shape}`);
    }
    worst = Math.max(worst, relativeError(a.values, r.values));
  });
  return worst;
}
