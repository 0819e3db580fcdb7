import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runLdam, trainerEvents } from './child.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-train-memory-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A tiny resnet8 on 8×8×3 synthetic images, batch 16: its step is estimated at ~7.8 MiB, one
// example at ~2.2 MiB (mostly weights), so a 4 MiB budget must split batches.
const resnetSpec = {
  version: 1,
  dataset: {
    name: 'synthetic',
    numClasses: 4,
    maxPerClass: 16,
    imbalance: { type: 'exp', ratio: 4 },
    synthetic: { shape: [8, 8, 3], separation: 3, testPerClass: 4 },
  },
  model: { arch: 'resnet8' },
  loss: { type: 'ldam' },
  rebalance: { rule: 'drw', afterEpoch: 1 },
  optimizer: { lr: 0.05, batchSize: 16 },
  schedule: { epochs: 2, warmupEpochs: 0, decay: [] },
  checkpoint: { everyEpochs: 2, keepLast: 1 },
};

async function train(jobId: string, budgetMb: string) {
  const spec = join(dir, `${jobId}.json`);
  await writeFile(spec, JSON.stringify(resnetSpec));
  const out = join(dir, jobId);
  const result = await runLdam(['train', '--spec', spec, '--out', out, '--job', jobId], {
    env: { LDAM_MEMORY_BUDGET_MB: budgetMb },
  });
  return { result, out };
}

describe('ldam train under LDAM_MEMORY_BUDGET_MB (child process, wasm)', () => {
  it('splits each batch into micro-batches, trains to the end and reports per-micro-batch batch norm', async () => {
    const { result, out } = await train('job-split', '4');
    expect(result.stderr).not.toMatch(/Error|Aborted/);
    expect(result.code).toBe(0);
    const expected = { batchNormPerMicroBatch: true, budgetBytes: 4 * 2 ** 20 };

    const line = jsonLines(result.stdout).find((l) => l.kind === 'micro-batches');
    expect(line).toMatchObject(expected);
    expect(line?.microBatches).toBeGreaterThan(1);
    expect(Number(line?.microBatchSize) * Number(line?.microBatches)).toBeGreaterThanOrEqual(16);
    expect(Number(line?.estimatedPeakBytes)).toBeLessThanOrEqual(4 * 2 ** 20);

    const note = (await trainerEvents(out, 'job-split')).find(
      (e) => e.kind === 'note' && String(e.message).startsWith('micro-batches:'),
    );
    expect(note?.message).toMatch(/batch-norm statistics per micro-batch/);
    expect(note?.data).toMatchObject({ ...expected, microBatches: line?.microBatches });

    const run = JSON.parse(await readFile(join(out, 'runs', 'job-split', 'run.json'), 'utf8'));
    expect(run).toMatchObject({
      backend: 'wasm',
      memoryPlan: { ...expected, microBatches: line?.microBatches },
    });
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  it('exits 1 with the estimate and the budget on stderr when one example does not fit, never Aborted()', async () => {
    const { result, out } = await train('job-too-small', '1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/MemoryBudgetError: one training example needs ~\d+ MiB but only 1 MiB/);
    expect(result.stderr).toMatch(/LDAM_MEMORY_BUDGET_MB/);
    expect(result.stderr).not.toMatch(/Aborted/);
    const failed = (await trainerEvents(out, 'job-too-small')).find(
      (e) => e.kind === 'status' && e.status === 'failed',
    );
    expect(failed).toMatchObject({ exitCode: 1 });
    expect(String(failed?.reason)).toMatch(/MemoryBudgetError/);
  });
});
