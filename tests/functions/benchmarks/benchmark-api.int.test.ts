import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, createApp } from '../../../functions/app.ts';
import { BenchmarkClient } from '../../../functions/benchmarks/client.ts';
import { type Benchmarks, createBenchmarks } from '../../../functions/benchmarks/compose.ts';
import { runBench } from '../../../functions/cli/bench.ts';
import { parseApiConfig } from '../../../functions/config.ts';
import { localOwner } from '../../../functions/http/auth.ts';
import { silentLogger } from '../../../functions/http/logger.ts';
import { LocalRunner } from '../../../functions/runners/local-runner.ts';
import { type EmbeddedS3, startEmbeddedS3 } from '../../../trainer/store/embedded-s3.ts';

// End to end: real HTTP server, embedded S3 server, local runner spawning the real trainer
// (`ldam train`) on CI-sized long-tailed Fashion-MNIST, and the CLI following the benchmark.

const root = fileURLToPath(new URL('../../../', import.meta.url));

const benchmark = {
  version: 1,
  name: 'ci-fmnist-lt',
  base: {
    version: 1,
    dataset: {
      name: 'fashion-mnist',
      maxPerClass: 300,
      testPerClass: 100,
      imbalance: { type: 'exp', ratio: 10 },
    },
    model: { arch: 'mlp', hidden: [64] },
    optimizer: { batchSize: 64, lr: 0.05 },
    schedule: { epochs: 3 },
    rebalance: { afterEpoch: 2 },
    augment: { crop: false, flip: false },
    checkpoint: { everyEpochs: 3, keepLast: 1 },
    resources: { gpus: 0, timeoutMinutes: 10 },
  },
  methods: ['erm', 'ldam-drw'],
  grid: { 'dataset.imbalance': [{ type: 'exp', ratio: 10 }] },
  seeds: [0, 1],
  maxConcurrentCells: 2,
};

let dir: string;
let s3: EmbeddedS3;
let runner: LocalRunner;
let api: Api;
let benchmarks: Benchmarks;
let server: ReturnType<typeof serve>;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-int-'));
  s3 = await startEmbeddedS3({ dataDir: join(dir, 's3') });
  const store = s3.createStore();
  runner = new LocalRunner({
    command: [process.execPath, join(root, 'bin/ldam.mjs')],
    cwd: root,
    env: { PATH: process.env.PATH, ...s3.childEnv(), LDAM_DATA_DIR: join(dir, 'data') },
    maxConcurrent: 1,
    graceMs: 2000,
  });
  const config = parseApiConfig({ LDAM_DATA_DIR: join(dir, 'data') }, root, { eventPollMs: 100 });
  api = createApp({ store, runner, config, logger: silentLogger });
  benchmarks = createBenchmarks({
    store,
    jobService: api.service,
    supervisor: api.supervisor,
    defaultOwner: localOwner,
    bodyLimitBytes: config.bodyLimitBytes,
    pricePerDeviceHour: 0.9,
    driverIntervalMs: 200,
  });
  api.app.route('/v1/benchmarks', benchmarks.routes);
  await api.supervisor.start(200);
  await benchmarks.driver.start();
  server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  benchmarks?.driver.stop();
  api?.supervisor.stop();
  await runner?.close();
  await new Promise((resolve) => server?.close(resolve));
  await s3?.stop();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

describe('a benchmark through the API (real server, embedded S3, local runner, real trainer)', () => {
  it('runs ERM and LDAM-DRW over two seeds and returns a table with a number in every cell', async () => {
    const specFile = join(dir, 'benchmark.json');
    await writeFile(specFile, JSON.stringify(benchmark));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBench(['run', specFile, '--follow', '--interval', '0.3', '--url', url], {
      stdout: { write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => err.push(s) > 0 } as unknown as NodeJS.WritableStream,
      env: {},
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    const printed = out.join('');
    expect(code, `${printed}\n${err.join('')}`).toBe(0);
    const id = /benchmark (b-[0-9a-z-]+):/.exec(err.join(''))?.[1] ?? '';

    // The live table ended with every cell done, then the Markdown results followed.
    expect(printed).toContain('ci-fmnist-lt: completed — 4 done, 0 running, 0 pending, 0 failed');
    const table = printed.slice(printed.indexOf('| Method | exp-10 |'));
    const rows = table.split('\n').slice(2, 4);
    expect(rows.map((r) => r.split('|')[1]?.trim())).toEqual(['ERM', 'LDAM-DRW']);
    for (const row of rows) expect(row).toMatch(/^\| [A-Z-]+ \| \d+\.\d\d ± \d+\.\d\d \|$/);

    const client = new BenchmarkClient({ baseUrl: url });
    const results = await client.results(id);
    expect(results.complete).toBe(true);
    expect(results.totals).toMatchObject({ cells: 4, succeeded: 4, failed: 0 });
    for (const group of results.groups) {
      expect(group.counts).toEqual({ total: 2, succeeded: 2, failed: 0, active: 0 });
      expect(group.bestError?.mean).toBeGreaterThan(0);
      expect(group.bestError?.mean).toBeLessThan(90);
      expect(group.bestError?.std).not.toBeNull();
      expect(group.perClassError).toHaveLength(10);
    }
    for (const cell of results.cells) {
      expect(cell.metrics?.finalEpoch).toBe(3);
      expect(cell.cost?.wallSeconds).toBeGreaterThan(0);
      expect(cell.cost?.deviceSeconds).toBe(cell.cost?.wallSeconds);
      expect(cell.cost?.device).toContain('cpu');
    }
    const wall = results.cells.reduce((a, c) => a + (c.cost?.wallSeconds ?? 0), 0);
    expect(results.totals.wallSeconds).toBeCloseTo(wall, 9);
    expect(results.totals.cost).toBeCloseTo((wall / 3600) * 0.9, 9);

    // Every cell ran as an ordinary job, with its own spec's training seed and method.
    const seeds = await Promise.all(
      results.cells.map(
        async (c) =>
          (await (await fetch(`${url}/v1/jobs/${c.jobId}`)).json()) as {
            spec: { seed: number; loss: { type: string } };
          },
      ),
    );
    expect(seeds.map((j) => [j.spec.loss.type, j.spec.seed])).toEqual([
      ['ce', 0],
      ['ce', 1],
      ['ldam', 0],
      ['ldam', 1],
    ]);
    const csv = await client.resultsText(id, 'csv');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(5);
    expect(await client.resultsText(id, 'svg')).toContain('<polyline data-method="LDAM-DRW"');
  });
});
