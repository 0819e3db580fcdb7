// Checks a submission passes before anything is stored, over real HTTP against the API on the
// embedded S3 server (the local runner with the stand-in trainer): a benchmark with cells over the
// cost guard is a 422 naming the rule and the estimate; a local dataset source that is a symlink
// out of the data roots, or missing, is a 400 on `dataset.source`, for a job and for a benchmark.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/app.ts';
import { runBench } from '../../functions/cli/bench.ts';
import { parseApiConfig } from '../../functions/config.ts';
import { silentLogger } from '../../functions/http/logger.ts';
import type { LocalRunner } from '../../functions/runners/local-runner.ts';
import { type EmbeddedS3, startEmbeddedS3 } from '../../trainer/store/embedded-s3.ts';
import type { Store } from '../../trainer/store/store.ts';
import { type Listening, listen } from './http-server.ts';
import { standInRunner, tinySpec } from './support.ts';

let dir: string;
let roots: string;
let s3: EmbeddedS3;
let store: Store;
let runner: LocalRunner;
let server: Listening;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'submit-checks-'));
  roots = join(dir, 'roots');
  await mkdir(join(roots, 'real'), { recursive: true });
  await mkdir(join(dir, 'outside', 'secret'), { recursive: true });
  await symlink(join(dir, 'outside', 'secret'), join(roots, 'escape'));
  await symlink(join(roots, 'real'), join(roots, 'alias'));
  s3 = await startEmbeddedS3({ dataDir: join(dir, 's3') });
  store = s3.createStore();
  runner = standInRunner(dir, 'exit:0');
  const config = parseApiConfig(
    { LDAM_DATA_DIR: join(dir, 'data'), LDAM_DATA_ROOTS: roots, LDAM_MAX_ESTIMATED_SECONDS: '60' },
    dir,
  );
  const api = createApp({ store, runner, config, logger: silentLogger });
  server = await listen(api);
});

afterAll(async () => {
  await server?.close();
  await runner?.close();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

interface ErrorBody {
  error: {
    code: string;
    message: string;
    issues?: { cell?: string; path: string; rule: string }[];
    estimateSeconds?: number;
    limitSeconds?: number;
    cells?: { cell: string; estimateSeconds: number }[];
  };
}

async function post(path: string, body: unknown): Promise<{ status: number; body: ErrorBody }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

/** Jobs and benchmarks in the store (a refused request adds none; earlier jobs' logs may still grow). */
const storedKeys = async () =>
  (await store.list('')).map((o) => o.key).filter((key) => /^(benchmarks|owners|idempotency)\//.test(key));
const folder = (source: string) => ({ name: 'custom', format: 'image-folder', numClasses: 3, source });

/** Fashion-MNIST, balanced, an MLP: ~25 s an epoch by the CPU runner's planning figures. */
const fashionBenchmark = (epochs: number[]) => ({
  version: 1,
  name: 'guarded',
  base: {
    version: 1,
    dataset: { name: 'fashion-mnist', imbalance: { type: 'none' } },
    model: { arch: 'mlp' },
    resources: { gpus: 0 },
  },
  methods: ['erm', 'ldam-drw'],
  grid: { 'schedule.epochs': epochs },
});

describe('submit-time checks (real HTTP server, embedded S3 store, local runner)', () => {
  it('refuses a benchmark whose cells are over the cost guard with 422 naming the rule and the estimates', async () => {
    const before = await storedKeys();
    const { status, body } = await post('/v1/benchmarks', fashionBenchmark([1, 10]));
    expect(status).toBe(422);
    expect(body.error.code).toBe('cost_limit_exceeded');
    expect(body.error.message).toMatch(
      /^2 of 4 cells are over the cost guard: cell erm\.s1\.seed0: estimated run time \d+ s exceeds this runner's limit of 60 s \(LDAM_MAX_ESTIMATED_SECONDS\)/,
    );
    expect(body.error.limitSeconds).toBe(60);
    expect(body.error.cells?.map((c) => c.cell)).toEqual(['erm.s1.seed0', 'ldam-drw.s1.seed0']);
    for (const cell of body.error.cells ?? []) expect(cell.estimateSeconds).toBeGreaterThan(60);
    expect(body.error.estimateSeconds).toBe(
      Math.max(...(body.error.cells ?? []).map((c) => c.estimateSeconds)),
    );
    expect(await storedKeys()).toEqual(before);
  });

  it('accepts the same benchmark once every cell is under the guard', async () => {
    const { status } = await post('/v1/benchmarks', fashionBenchmark([1]));
    expect(status).toBe(201);
  });

  it('refuses a benchmark whose base spec is invalid for every cell, naming each cell', async () => {
    const bad = fashionBenchmark([1]);
    const { status, body } = await post('/v1/benchmarks', {
      ...bad,
      base: { ...bad.base, optimizer: { batchSize: 0 } },
    });
    expect(status).toBe(400);
    expect(body.error.issues?.map((i) => `${i.cell} ${i.path}`)).toEqual([
      'erm.s0.seed0 optimizer.batchSize',
      'ldam-drw.s0.seed0 optimizer.batchSize',
    ]);
  });

  it('refuses a job whose local source is a symlink out of the data roots, or missing (400 on dataset.source)', async () => {
    const before = await storedKeys();
    const escaped = await post('/v1/jobs', tinySpec({ dataset: folder(join(roots, 'escape')) }));
    expect(escaped.status).toBe(400);
    expect(escaped.body.error.issues).toEqual([
      {
        path: 'dataset.source',
        rule: expect.stringMatching(
          /resolves to .*outside\/secret, outside the allowed data roots .*LDAM_DATA_ROOTS/,
        ),
      },
    ]);
    const missing = await post('/v1/jobs', tinySpec({ dataset: folder(join(roots, 'no-such-set')) }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues).toEqual([
      {
        path: 'dataset.source',
        rule: expect.stringMatching(/no-such-set does not exist or is not a directory/),
      },
    ]);
    expect(await storedKeys()).toEqual(before);
    // A symlink that stays inside the roots is a source like any other.
    expect((await post('/v1/jobs', tinySpec({ dataset: folder(join(roots, 'alias')) }))).status).toBe(201);
  });

  it('refuses a benchmark whose local source escapes the roots, naming the first cell with it', async () => {
    const before = await storedKeys();
    const { status, body } = await post('/v1/benchmarks', {
      version: 1,
      base: tinySpec({ dataset: folder(join(roots, 'escape')) }),
      methods: ['erm', 'ldam-drw'],
      seeds: [0, 1],
    });
    expect(status).toBe(400);
    expect(body.error.issues).toEqual([
      {
        cell: 'erm.s0.seed0',
        path: 'dataset.source',
        rule: expect.stringMatching(/outside the allowed data roots/),
      },
    ]);
    expect(await storedKeys()).toEqual(before);
  });

  it('reads a benchmark body with the one strict JSON reader and refuses unsafe names and labels', async () => {
    const before = await storedKeys();
    const base = JSON.stringify(tinySpec());
    const twice = await post(
      '/v1/benchmarks',
      `{"version": 1, "base": ${base.replace('"schedule":{"epochs":2}', '"schedule":{"epochs":2},"schedule":{"epochs":9999}')}}`,
    );
    expect(twice.status).toBe(400);
    expect(twice.body.error.issues).toEqual([
      { path: 'base.schedule', rule: expect.stringMatching(/duplicate key 'schedule'/) },
    ]);
    const named = await post('/v1/benchmarks', {
      version: 1,
      name: 'grid\u202Egnp.exe',
      base: tinySpec(),
      methods: [{ name: 'mine', label: 'ok\u001b[2J', set: {} }],
    });
    expect(named.status).toBe(400);
    expect(named.body.error.issues).toEqual([
      { path: 'name', rule: expect.stringMatching(/U\+202E at position 4/) },
      { path: 'methods.0.label', rule: expect.stringMatching(/U\+001B at position 2/) },
    ]);
    expect(await storedKeys()).toEqual(before);
  });

  it('ldam bench run reads its file with the same strict reader and sends nothing when a key is named twice', async () => {
    const before = await storedKeys();
    const file = join(dir, 'twice.json');
    const base = JSON.stringify(tinySpec());
    await writeFile(file, `{"version": 1, "seeds": [0], "base": ${base}, "seeds": [0, 1, 2]}`);
    const err: string[] = [];
    const io = {
      stdout: { write: () => true } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => err.push(s) > 0 } as unknown as NodeJS.WritableStream,
      env: { LDAM_API_URL: server.url },
      sleep: async () => undefined,
    };
    expect(await runBench(['run', file], io)).toBe(2);
    expect(err.join('')).toMatch(/twice\.json is not a benchmark file: seeds: duplicate key 'seeds'/);
    expect(await storedKeys()).toEqual(before);
  });
});
