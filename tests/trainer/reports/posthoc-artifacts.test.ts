import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  evaluationFromLogits,
  type PosthocSource,
  posthocRowsFromStore,
} from '../../../trainer/reports/index.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { encodeLogits, type StoredLogits } from '../../../trainer/store/logits-artifact.ts';
import { logitsKey } from '../../../trainer/store/run-layout.ts';

const jobId = 'job-posthoc';
const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function freshStore(): Promise<LocalDirStore> {
  const root = await mkdtemp(join(tmpdir(), 'ldam-posthoc-'));
  roots.push(root);
  return new LocalDirStore(root);
}

// 3 classes, 6 test images: plain argmax puts every image in the head class, and −log π_j
// (+0.11, +2.41, +4.61 for π = 0.9, 0.09, 0.01) moves each tail image to its own class.
const trainCounts = [90, 9, 1];
const logits = (point: 'final' | 'best', epoch: number): StoredLogits => ({
  point,
  split: 'test',
  epoch,
  numClasses: 3,
  labels: Int32Array.from([0, 0, 1, 1, 2, 2]),
  logits: Float32Array.from([6, 1, 0, 5, 0, 0, 2, 1, -3, 3, 2, -3, 1, 0, 0.5, 0.2, 0.1, 0]),
  head: { squaredNorms: [4, 1, 0.25], bias: [0.5, 0, -0.5] },
});
const source = (overrides: Partial<PosthocSource> = {}): PosthocSource => ({
  trainCounts,
  classifier: 'linear',
  epochs: { final: 6, best: 4 },
  splitSizes: { test: 6 },
  ...overrides,
});
const put = (store: LocalDirStore, s: StoredLogits) =>
  store.put(logitsKey(jobId, s.point, s.split), encodeLogits(s));

describe('post-hoc rows from the stored logits', () => {
  it('scores each method at τ = 1 (no validation split) from the final and the best file', async () => {
    const store = await freshStore();
    await put(store, logits('final', 6));
    await put(store, logits('best', 4));
    const rows = await posthocRowsFromStore(store, jobId, source());
    expect(rows.map((r) => [r.method, r.at, r.epoch, r.tau, r.tauChosenOn, r.applicable])).toEqual([
      ['posthoc-la', 'final', 6, 1, 'fixed', true],
      ['posthoc-la', 'best', 4, 1, 'fixed', true],
      ['tau-norm', 'final', 6, 1, 'fixed', true],
      ['tau-norm', 'best', 4, 1, 'fixed', true],
    ]);
    const scored = evaluationFromLogits(logits('final', 6), trainCounts);
    expect(rows[0]?.test).toEqual(scored.adjusted['posthoc-la@1']);
    expect(scored.balancedError).toBeCloseTo(2 / 3, 12);
    expect(rows[0]?.test?.balancedError).toBe(0);
  });

  it('marks rows not applicable, with the reason, when a file is missing, stale or would be too large', async () => {
    const store = await freshStore();
    await put(store, logits('final', 6));
    await put(store, logits('best', 3));
    const rows = await posthocRowsFromStore(store, jobId, source());
    const best = rows.find((r) => r.method === 'posthoc-la' && r.at === 'best');
    expect(best).toMatchObject({ applicable: false, test: null, tau: null });
    expect(best?.reason).toBe(`${logitsKey(jobId, 'best', 'test')} holds epoch 3, not the best epoch 4`);
    expect(rows.find((r) => r.at === 'final')?.applicable).toBe(true);

    const missing = await posthocRowsFromStore(await freshStore(), jobId, source());
    expect(missing.every((r) => r.reason?.startsWith('no stored logits at runs/job-posthoc/logits/'))).toBe(
      true,
    );

    const huge = await posthocRowsFromStore(store, jobId, source({ splitSizes: { test: 2 ** 23 } }));
    expect(huge[0]?.reason).toBe("the test split's 8388608 × 3 logits exceed the 16777216 stored per file");

    await store.put(logitsKey(jobId, 'final', 'test'), 'not logits');
    const garbled = await posthocRowsFromStore(store, jobId, source());
    expect(garbled[0]?.reason).toMatch(/final-test\.bin: not a stored-logits file: no LGT1 magic/);
  });

  it('on a cosine head τ-norm is not applicable (the identity) while logit adjustment is', async () => {
    const store = await freshStore();
    await put(store, { ...logits('final', 6), head: null });
    await put(store, { ...logits('best', 4), head: null });
    const rows = await posthocRowsFromStore(store, jobId, source({ classifier: 'cosine' }));
    expect(rows.filter((r) => r.applicable).map((r) => r.method)).toEqual(['posthoc-la', 'posthoc-la']);
    expect(rows.find((r) => r.method === 'tau-norm')?.reason).toMatch(/identity/);
  });
});
