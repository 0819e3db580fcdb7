import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../../bench/grid/stack.ts';
import { benchmarkResultsSchema } from '../../../functions/benchmarks/view-schemas.ts';
import { runBench } from '../../../functions/cli/bench.ts';
import { createApiClient, ok } from '../../../functions/client/client.ts';

// End to end: real HTTP server, embedded S3 server, local runner spawning the real trainer
// (`ldam train`) on CI-sized long-tailed Fashion-MNIST, and the CLI following the benchmark.

const benchmark = {
  version: 1,
  name: 'ci-fmnist-lt',
  base: {
    version: 1,
    dataset: { name: 'fashion-mnist', maxPerClass: 300, testPerClass: 100 },
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
let stack: LocalStack;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-int-'));
  stack = await startLocalStack({ dir, pricePerDeviceHour: 0.9 });
  url = stack.url;
});

afterAll(async () => {
  await stack?.stop();
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

    const api = createApiClient({ url });
    const path = { id };
    const text = (format: 'csv' | 'svg') =>
      ok(api.GET('/v1/benchmarks/{id}/results', { params: { path, query: { format } }, parseAs: 'text' }));
    // Parsed with the documented schema: the generated client's types describe what the server sends.
    const results = benchmarkResultsSchema.parse(
      await ok(api.GET('/v1/benchmarks/{id}/results', { params: { path, query: { format: 'json' } } })),
    );
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
    const csv = await text('csv');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(5);
    expect(await text('svg')).toMatch(/aria-label="LDAM-DRW, exp-10: class 9 error [\d.]+%"/);
  });

  it('refuses an invalid benchmark in the CLI, naming the failing cell and field, and stores nothing', async () => {
    const specFile = join(dir, 'bad.json');
    await writeFile(specFile, JSON.stringify({ ...benchmark, grid: { 'optimizer.batchSize': [64, 0] } }));
    const err: string[] = [];
    const io = {
      stdout: { write: () => true } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => err.push(s) > 0 } as unknown as NodeJS.WritableStream,
      env: { LDAM_API_URL: url },
      sleep: async () => undefined,
    };
    const before = (await stack.store.list('benchmarks/')).length;
    expect(await runBench(['run', specFile], io)).toBe(1);
    expect(err.join('')).toContain('HTTP 400');
    expect(err.join('')).toContain('cell erm.s1.seed0: optimizer.batchSize:');
    expect((await stack.store.list('benchmarks/')).length).toBe(before);
    expect(await runBench(['run', join(dir, 'missing.json')], io)).toBe(2);
  });
});
