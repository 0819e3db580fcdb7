import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OnednnBackend } from '../../../../trainer/engine/onednn/index.ts';
import { onednnBuilt, prepareOnednn } from './on-onednn.ts';

// Native outputs come from a size-keyed pool of buffers. A buffer handed out again while a
// tensor (or a view of it, or an array read from it) still refers to it would silently change
// that tensor: each case keeps such a reference, churns many same-size outputs, and checks it.

const size = 4096;
const pattern = (k: number) => Array.from({ length: size }, (_, i) => ((i * 7 + k) % 13) - 6);

function churn(rounds: number): void {
  for (let k = 0; k < rounds; k++) tf.tidy(() => tf.relu(tf.tensor1d(pattern(k + 100))).dataSync());
}

describe.skipIf(!onednnBuilt)('onednn output buffer pool', () => {
  beforeAll(prepareOnednn);

  it('reuses the buffers of disposed outputs (the reason it exists)', () => {
    const pool = (tf.backend() as OnednnBackend).pool;
    churn(3);
    const before = pool.stats();
    churn(20);
    const after = pool.stats();
    expect(after.reused - before.reused).toBeGreaterThanOrEqual(20);
    expect(after.allocated - before.allocated).toBeLessThanOrEqual(2);
  });

  it('never hands out a buffer a live tensor still holds', () => {
    const kept = tf.relu(tf.tensor1d(pattern(1)));
    const expected = pattern(1).map((v) => Math.max(v, 0));
    churn(20);
    expect(Array.from(kept.dataSync())).toEqual(expected);
    kept.dispose();
  });

  it('keeps a buffer while a reshape of the disposed output refers to it', () => {
    const y = tf.relu(tf.tensor1d(pattern(2)));
    const view = tf.reshape(y, [64, 64]);
    y.dispose();
    churn(20);
    expect(Array.from(view.dataSync())).toEqual(pattern(2).map((v) => Math.max(v, 0)));
    view.dispose();
  });

  it('keeps a buffer while a contiguous slice (a subarray view on cpu) refers to it', () => {
    const y = tf.relu(tf.tensor2d(pattern(3), [64, 64]));
    const rows = tf.slice(y, [10, 0], [20, 64]);
    y.dispose();
    churn(20);
    const expected = pattern(3)
      .map((v) => Math.max(v, 0))
      .slice(10 * 64, 30 * 64);
    expect(Array.from(rows.dataSync())).toEqual(expected);
    rows.dispose();
  });

  it('returns copies from dataSync, so an array read before dispose stays intact', () => {
    const y = tf.relu(tf.tensor1d(pattern(4)));
    const read = y.dataSync();
    y.dispose();
    churn(20);
    expect(Array.from(read)).toEqual(pattern(4).map((v) => Math.max(v, 0)));
  });
});
