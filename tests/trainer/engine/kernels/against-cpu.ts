import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../../trainer/engine/backend.ts';
import { createRng } from '../../../../trainer/random/rng.ts';
import { relativeError } from '../../../support/relative-error.ts';

export { relativeError };

// Shared by the kernel suites: the same computation on stock `cpu` and on wasm with the
// engine's kernels, from the same fresh random inputs.

export interface Result {
  readonly shape: number[];
  readonly values: number[];
}

/** Activates wasm through the engine (registering its kernels); cpu stays available. */
export async function prepareBackends(): Promise<void> {
  await selectBackend('wasm', {});
}

/** Uniform values in [-1, -0.05] ∪ [0.05, 1]: never zero, mixed signs. */
export function randomValues(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const magnitude = 0.05 + 0.95 * rng.next();
    values[i] = rng.next() < 0.5 ? -magnitude : magnitude;
  }
  return values;
}

/** Runs `compute` on one backend, reading the result back and freeing every tensor it made. */
export async function runOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor): Promise<Result> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(compute);
  const result = { shape: out.shape.slice(), values: Array.from(await out.data()) };
  out.dispose();
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${leaked} tensors leaked on ${backend}`);
  return result;
}

/** The same computation on cpu (reference) and wasm. */
export async function onBoth(compute: () => tf.Tensor): Promise<{ reference: Result; actual: Result }> {
  const reference = await runOn('cpu', compute);
  const actual = await runOn('wasm', compute);
  return { reference, actual };
}

/** ‖actual − reference‖ / ‖reference‖ (absolute norm when the reference is all zeros). */

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}
