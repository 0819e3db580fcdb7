import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeArtifactReader } from '../../../functions/benchmarks/artifacts.ts';
import { parseBenchmarkSpec } from '../../../functions/benchmarks/parse.ts';
import { BenchmarkService } from '../../../functions/benchmarks/service.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { reportKey } from '../../../trainer/store/run-layout.ts';
import { InMemoryCellJobs, reportFor } from './fixtures.ts';

const spec = parseBenchmarkSpec({
  version: 1,
  name: 'tiny',
  base: {
    version: 1,
    dataset: { name: 'synthetic', numClasses: 2, synthetic: { shape: [4] } },
    model: { arch: 'mlp', hidden: [8] },
    schedule: { epochs: 2 },
    resources: { gpus: 1 },
  },
  methods: ['erm', 'ldam-drw'],
  seeds: [0, 1],
  maxConcurrentCells: 2,
});

let dir: string;
let store: LocalDirStore;
let jobs: InMemoryCellJobs;
let service: BenchmarkService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-service-'));
  store = new LocalDirStore(dir);
  jobs = new InMemoryCellJobs();
  service = new BenchmarkService({
    store,
    jobs,
    readArtifacts: storeArtifactReader(store),
    pricePerDeviceHour: 2,
  });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('benchmark service (real local-directory store, in-memory job port)', () => {
  it('submits no more than maxConcurrentCells jobs and the next ones as jobs finish', async () => {
    const created = await service.create(spec);
    expect(created.progress).toMatchObject({ status: 'running', total: 4, pending: 2, running: 2 });
    expect(jobs.active()).toEqual(['job-001', 'job-002']);
    expect(await store.head(`benchmarks/${created.id}/cells.json`)).toBeDefined();

    jobs.finish('job-001', 'succeeded', 10);
    const after = await service.status(created.id);
    expect(after.progress).toMatchObject({ pending: 1, running: 2, succeeded: 1 });
    expect(after.cells.map((c) => c.jobId)).toEqual(['job-001', 'job-002', 'job-003', null]);
    expect(jobs.jobs.get('job-003')?.spec).toMatchObject({ loss: { type: 'ldam' }, seed: 0 });
  });

  it('keeps a cell pending when the job system says later, and fails it when it refuses', async () => {
    jobs.nextOutcome = () => ({ kind: 'retry-later', reason: 'per-key limit' });
    const created = await service.create(spec);
    expect(created.progress).toMatchObject({ pending: 4, running: 0 });
    jobs.nextOutcome = (s) =>
      s.loss.type === 'ce' ? { kind: 'rejected', reason: 'over the cost guard' } : undefined;
    const view = await service.status(created.id);
    expect(view.cells.map((c) => c.state)).toEqual(['not_submitted', 'not_submitted', 'queued', 'queued']);
    expect(view.cells[0]?.reason).toBe('over the cost guard');
    expect(view.progress).toMatchObject({ failed: 2, running: 2 });
  });

  it('cancels running cells and submits nothing more', async () => {
    const created = await service.create(spec);
    const view = await service.cancel(created.id);
    expect(jobs.cancelled).toEqual(['job-001', 'job-002']);
    expect(view.progress).toMatchObject({ status: 'cancelled', cancelled: 4, pending: 0 });
    expect((await service.status(created.id)).progress.status).toBe('cancelled');
    expect(jobs.jobs.size).toBe(2);
  });

  it('aggregates stored reports, keeps failed cells, and prices device-seconds', async () => {
    const created = await service.create({ ...spec, maxConcurrentCells: 4 });
    await store.put(
      reportKey('job-001', 'json'),
      JSON.stringify(reportFor('job-001', [0.1, 0.3], [0.4, 0.2])),
    );
    await store.put(
      reportKey('job-002', 'json'),
      JSON.stringify(reportFor('job-002', [0.2, 0.4], [0.5, 0.3], { name: 'tensorflow-gpu', device: 'gpu' })),
    );
    jobs.finish('job-001', 'succeeded', 60);
    jobs.finish('job-002', 'succeeded', 30);
    jobs.finish('job-003', 'failed', 6, 'diverged: the loss became NaN or infinite (exit 4)');
    jobs.finish('job-004', 'succeeded', 3);
    const results = await service.results(created.id);
    const erm = results.groups.find((g) => g.method === 'erm');
    expect(erm?.finalError?.mean).toBeCloseTo(25, 9);
    expect(erm?.bestError?.mean).toBeCloseTo(25, 9);
    expect(erm?.perClassError?.map((v) => Number(v?.toFixed(9)))).toEqual([15, 35]);
    const ldam = results.groups.find((g) => g.method === 'ldam-drw');
    expect(ldam?.counts).toEqual({ total: 2, succeeded: 0, failed: 2, active: 0 });
    expect(results.cells.find((c) => c.jobId === 'job-004')?.reason).toBe('no report.json');
    expect(results.cells.find((c) => c.jobId === 'job-003')?.reason).toContain('diverged');
    // The GPU cell holds its one requested GPU; CPU and unknown devices count as one.
    expect(results.cells.map((c) => c.cost?.deviceSeconds)).toEqual([60, 30, 6, 3]);
    expect(results.totals).toMatchObject({ wallSeconds: 99, deviceSeconds: 99, succeeded: 2, failed: 2 });
    expect(results.totals.cost).toBeCloseTo((99 / 3600) * 2, 12);
  });

  it('records each cell outcome once its job ended: a fresh service reads it without asking the job system', async () => {
    const created = await service.create(spec);
    jobs.finish('job-001', 'failed', 5, 'diverged');
    const seen = await service.status(created.id);
    await service.cancel(created.id);
    const viewed: string[] = [];
    const watching = new InMemoryCellJobs();
    watching.view = async (jobId) => {
      viewed.push(jobId);
      throw new Error(`job ${jobId} read again`);
    };
    const fresh = new BenchmarkService({ store, jobs: watching, readArtifacts: storeArtifactReader(store) });
    const view = await fresh.status(created.id);
    expect(viewed).toEqual([]);
    expect(view.cells[0]).toMatchObject({ state: 'failed', reason: 'diverged' });
    expect(view.cells[0]).toEqual(seen.cells[0]);
    expect(view.progress).toMatchObject({ status: 'cancelled', failed: 1, cancelled: 3 });
  });
});
