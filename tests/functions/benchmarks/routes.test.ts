import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportKey, storeArtifactReader } from '../../../functions/benchmarks/artifacts.ts';
import { createBenchmarkRoutes } from '../../../functions/benchmarks/routes.ts';
import { BenchmarkService } from '../../../functions/benchmarks/service.ts';
import type { AppEnv } from '../../../functions/http/app-env.ts';
import { silentLogger } from '../../../functions/http/logger.ts';
import { errorHandler } from '../../../functions/http/on-error.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { InMemoryCellJobs, reportFor } from './fixtures.ts';

const base = {
  version: 1,
  dataset: { name: 'synthetic', numClasses: 2, synthetic: { shape: [4] } },
  model: { arch: 'mlp', hidden: [8] },
  schedule: { epochs: 2 },
};

let dir: string;
let jobs: InMemoryCellJobs;
let app: Hono<AppEnv>;
let store: LocalDirStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-routes-'));
  store = new LocalDirStore(dir);
  jobs = new InMemoryCellJobs();
  const service = new BenchmarkService({
    store,
    jobs,
    readArtifacts: storeArtifactReader(store),
    maxCells: 10,
  });
  app = new Hono<AppEnv>();
  app.onError(errorHandler(silentLogger));
  // Stands in for the API's auth middleware: the owner comes from a header here.
  app.use(async (c, next) => {
    c.set('owner', c.req.header('x-owner') ?? 'local');
    await next();
  });
  app.route('/v1/benchmarks', createBenchmarkRoutes({ service, bodyLimitBytes: 4096 }));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, owner = 'alice') =>
  app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-owner': owner },
  });
const get = (path: string, owner = 'alice') => app.request(path, { headers: { 'x-owner': owner } });

describe('benchmark routes (app.request, in-memory job port)', () => {
  it('creates a benchmark, reports progress, and serves results in every format', async () => {
    const created = await post('/v1/benchmarks', { version: 1, base, methods: ['erm'], seeds: [0] });
    expect(created.status).toBe(201);
    const view = (await created.json()) as { id: string; progress: { total: number } };
    expect(created.headers.get('location')).toBe(`/v1/benchmarks/${view.id}`);
    expect(view.progress.total).toBe(1);

    await store.put(reportKey('job-001'), JSON.stringify(reportFor('job-001', [0.1, 0.5], [0.3, 0.3])));
    jobs.finish('job-001', 'succeeded', 12);
    const status = await get(`/v1/benchmarks/${view.id}`);
    expect(await status.json()).toMatchObject({ progress: { status: 'completed', succeeded: 1 } });

    const md = await get(`/v1/benchmarks/${view.id}/results?format=md`);
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(await md.text()).toContain('| ERM | 30.00 |');
    const csv = await get(`/v1/benchmarks/${view.id}/results?format=csv`);
    expect((await csv.text()).split('\r\n')[1]).toContain('erm.s0.seed0,erm,base,0,job-001,succeeded');
    const svg = await get(`/v1/benchmarks/${view.id}/results?format=svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/aria-label="ERM, base: class 1 error 50.0%"/);
    const json = (await (await get(`/v1/benchmarks/${view.id}/results`)).json()) as {
      totals: { wallSeconds: number };
    };
    expect(json.totals.wallSeconds).toBe(12);
    expect((await get(`/v1/benchmarks/${view.id}/results?format=xml`)).status).toBe(400);
  });

  it('rejects an invalid cell with 400 naming the cell and field, and too many cells', async () => {
    const bad = await post('/v1/benchmarks', { version: 1, base, grid: { 'optimizer.lr': [0.1, -1] } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'validation_failed', issues: [{ cell: 'base.s1.seed0', path: 'optimizer.lr' }] },
    });
    const big = await post('/v1/benchmarks', { version: 1, base, seeds: [...Array(11).keys()] });
    expect(((await big.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe(
      'maxCells',
    );
    expect((await app.request('/v1/benchmarks', { method: 'POST', body: '{' })).status).toBe(400);
    const huge = await post('/v1/benchmarks', { version: 1, base, name: 'x'.repeat(5000) });
    expect(huge.status).toBe(413);
  });

  it("hides another owner's benchmark and cancels on request", async () => {
    const created = (await (await post('/v1/benchmarks', { version: 1, base, seeds: [0, 1] })).json()) as {
      id: string;
    };
    expect((await get(`/v1/benchmarks/${created.id}`, 'mallory')).status).toBe(404);
    expect((await post(`/v1/benchmarks/${created.id}/cancel`, {}, 'mallory')).status).toBe(404);
    expect((await get('/v1/benchmarks/b-000000000-00000000')).status).toBe(404);
    expect((await get('/v1/benchmarks/not-an-id')).status).toBe(404);
    const cancelled = await post(`/v1/benchmarks/${created.id}/cancel`, {});
    expect(await cancelled.json()).toMatchObject({ progress: { status: 'cancelled', cancelled: 2 } });
    expect(jobs.cancelled).toEqual(['job-001']);
  });
});
