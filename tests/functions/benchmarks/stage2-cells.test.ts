import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeArtifactReader } from '../../../functions/benchmarks/artifacts.ts';
import { BenchmarkValidationError } from '../../../functions/benchmarks/errors.ts';
import { expandBenchmark } from '../../../functions/benchmarks/expand.ts';
import { parseBenchmarkSpec } from '../../../functions/benchmarks/parse.ts';
import { BenchmarkService } from '../../../functions/benchmarks/service.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { InMemoryCellJobs } from './fixtures.ts';

// Cells that depend on cells: a cRT cell waits for the ERM cell of its setting and seed, starts
// from that cell's job, and fails visibly when stage 1 did not succeed.

const base = {
  version: 1,
  dataset: { name: 'synthetic', numClasses: 2, synthetic: { shape: [4] } },
  model: { arch: 'mlp', hidden: [8] },
  schedule: { epochs: 2 },
  resources: { gpus: 1 },
};
const spec = parseBenchmarkSpec({
  version: 1,
  base,
  methods: ['erm', 'crt'],
  grid: { 'dataset.imbalance': [{ type: 'exp', ratio: 10 }] },
  seeds: [0, 1],
  maxConcurrentCells: 4,
});

let dir: string;
let jobs: InMemoryCellJobs;
let service: BenchmarkService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-stage2-'));
  const store = new LocalDirStore(dir);
  jobs = new InMemoryCellJobs();
  service = new BenchmarkService({ store, jobs, readArtifacts: storeArtifactReader(store) });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stage-2 benchmark cells', () => {
  it('expands cRT cells on the ERM cells: same dataset and model, its own schedule and sampler', () => {
    const { cells } = expandBenchmark(spec);
    const crt = cells.find((c) => c.id === 'crt.s0.seed1');
    const erm = cells.find((c) => c.id === 'erm.s0.seed1');
    expect(crt?.dependsOn).toBe('erm.s0.seed1');
    expect(crt?.spec.dataset).toEqual(erm?.spec.dataset);
    expect(crt?.spec.model).toEqual(erm?.spec.model);
    expect(crt?.spec).toMatchObject({
      loss: { type: 'ce' },
      rebalance: { rule: 'resample', weighting: 'inverse-frequency' },
      schedule: { epochs: 10, warmupEpochs: 0, decay: [] },
      seed: 1,
    });
    expect(() => expandBenchmark(parseBenchmarkSpec({ version: 1, base, methods: ['crt'] }))).toThrow(
      BenchmarkValidationError,
    );
  });

  it('submits a stage-2 cell only after its stage-1 job succeeded, with that job as fromJob', async () => {
    const created = await service.create(spec);
    // Both ERM cells are submitted; the cRT cells wait although slots are free.
    expect(created.cells.map((c) => [c.id, c.jobId])).toEqual([
      ['erm.s0.seed0', 'job-001'],
      ['erm.s0.seed1', 'job-002'],
      ['crt.s0.seed0', null],
      ['crt.s0.seed1', null],
    ]);
    jobs.finish('job-002', 'succeeded', 5);
    const after = await service.status(created.id);
    expect(after.cells.map((c) => c.jobId)).toEqual(['job-001', 'job-002', null, 'job-003']);
    expect(jobs.jobs.get('job-003')?.spec.stage2).toEqual({ fromJob: 'job-002' });

    jobs.finish('job-001', 'failed', 3, 'DivergedError: loss NaN');
    const failed = await service.status(created.id);
    const cell = failed.cells.find((c) => c.id === 'crt.s0.seed0');
    expect(cell).toMatchObject({ jobId: null, state: 'not_submitted' });
    expect(cell?.reason).toBe('stage-1 cell erm.s0.seed0 failed: DivergedError: loss NaN');
    expect(failed.progress).toMatchObject({ pending: 0, failed: 2, running: 1, succeeded: 1 });
    expect(jobs.jobs.size).toBe(3);
  });
});
