// What GET /v1/benchmarks/{id} costs in store calls for a 50-cell benchmark (not a timed test):
// over real HTTP, the API on the embedded S3 server through a store that records every call. An
// ended cell's job log is read once, when the benchmark first sees it ended; after that a status
// read touches only the benchmark's own objects and the cells still running, also in another API
// instance over the same store (a restarted server, a fresh Lambda instance).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/app.ts';
import { parseApiConfig } from '../../../functions/config.ts';
import { silentLogger } from '../../../functions/http/logger.ts';
import type { LocalRunner } from '../../../functions/runners/local-runner.ts';
import { appendEvents } from '../../../trainer/events/log.ts';
import { type EmbeddedS3, startEmbeddedS3 } from '../../../trainer/store/embedded-s3.ts';
import type { Store } from '../../../trainer/store/store.ts';
import { type Listening, listen } from '../http-server.ts';
import { standInRunner, tinySpec } from '../support.ts';

interface Instance {
  readonly server: Listening;
  readonly runner: LocalRunner;
  /** `method key` of every store call since the last reset. */
  readonly calls: string[];
}

let dir: string;
let s3: EmbeddedS3;
let store: Store;
const instances: Instance[] = [];

/** A store that logs each call with the key (or prefix) it names. */
function recorded(inner: Store, calls: string[]): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(`${property} ${typeof args[0] === 'string' ? args[0] : ''}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** An API server over the shared store; the first one's sleeping trainer holds its only slot. */
async function startInstance(): Promise<Instance> {
  const calls: string[] = [];
  const runner = standInRunner(dir, 'sleep');
  const config = parseApiConfig(
    { LDAM_DATA_DIR: join(dir, 'data'), LDAM_MAX_ACTIVE_JOBS_PER_KEY: '64' },
    dir,
  );
  const api = createApp({ store: recorded(store, calls), runner, config, logger: silentLogger });
  const instance = { server: await listen(api), runner, calls };
  instances.push(instance);
  return instance;
}

interface View {
  progress: { status: string; total: number; running: number; succeeded: number };
  cells: { id: string; jobId: string | null; state: string; lastEpoch: number }[];
}

async function status(instance: Instance, id: string): Promise<View> {
  instance.calls.length = 0;
  const response = await fetch(`${instance.server.url}/v1/benchmarks/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as View;
}

/** A finished run as the trainer records it: running, a metric per epoch, succeeded. */
async function finish(jobId: string, epochs: number): Promise<void> {
  const time = new Date().toISOString();
  const metrics = Array.from({ length: epochs }, (_, i) => ({
    time,
    kind: 'metric' as const,
    attempt: 1,
    epoch: i + 1,
    step: (i + 1) * 10,
    key: 'test.top1Error',
    value: 0.3,
  }));
  await appendEvents(store, jobId, 'trainer', [
    { time, kind: 'status', status: 'running', attempt: 1 },
    ...metrics,
    { time, kind: 'status', status: 'succeeded', attempt: 1 },
  ]);
}

const readsOfRuns = (calls: readonly string[], jobIds: readonly string[]) =>
  calls.filter((call) => jobIds.some((id) => call.includes(`runs/${id}/`)));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-status-cost-'));
  s3 = await startEmbeddedS3({ dataDir: join(dir, 's3') });
  store = s3.createStore();
});

afterAll(async () => {
  for (const instance of instances) {
    await instance.server.close();
    await instance.runner.close();
  }
  await s3?.stop();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

describe('GET /v1/benchmarks/{id} in store calls (50 cells, embedded S3, real HTTP)', () => {
  it('reads no ended cell job again, in this server or in a fresh one over the same store', async () => {
    const first = await startInstance();
    const created = await fetch(`${first.server.url}/v1/benchmarks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        version: 1,
        base: tinySpec(),
        methods: ['erm', 'ldam-drw'],
        grid: { 'optimizer.lr': [0.01, 0.02, 0.05, 0.1, 0.2] },
        seeds: [0, 1, 2, 3, 4],
        maxConcurrentCells: 50,
      }),
    });
    expect(created.status).toBe(201);
    const { id, cells } = (await created.json()) as View & { id: string };
    const jobIds = cells.map((c) => c.jobId ?? '');
    expect(jobIds.filter((j) => j !== '')).toHaveLength(50);
    const running = jobIds.slice(0, 5);
    const ended = jobIds.slice(5);
    await Promise.all(ended.map((jobId) => finish(jobId, 3)));

    // The first read after they ended reads each ended job's log once and records the outcome.
    expect((await status(first, id)).progress).toMatchObject({ total: 50, running: 5, succeeded: 45 });
    expect(readsOfRuns(first.calls, ended).length).toBeGreaterThan(0);
    const warm = await status(first, id);
    expect(warm.progress).toMatchObject({ running: 5, succeeded: 45 });
    expect(readsOfRuns(first.calls, ended)).toEqual([]);
    // Every other call is the benchmark's own objects or a job still running.
    const others = first.calls.filter((call) => readsOfRuns([call], running).length === 0);
    expect(others.every((call) => call.includes(`benchmarks/${id}/`))).toBe(true);
    expect(others.length).toBeLessThanOrEqual(2);

    await Promise.all(running.map((jobId) => finish(jobId, 3)));
    const done = await status(first, id);
    expect(done.progress).toMatchObject({ status: 'completed', succeeded: 50 });

    // A fresh instance (restart, another Lambda instance) reads the same view from the benchmark alone.
    const fresh = await startInstance();
    const again = await status(fresh, id);
    expect(again).toEqual(done);
    expect(again.cells.every((c) => c.lastEpoch === 3)).toBe(true);
    expect(readsOfRuns(fresh.calls, jobIds)).toEqual([]);
    expect(fresh.calls.length).toBeLessThanOrEqual(2);
  });
});
