// The paper-tiny-imagenet and paper-inat presets end to end at test scale: real HTTP server,
// embedded S3, local runner and real trainer processes, on small datasets written in the published
// layouts. The presets' own ResNet-18 and ResNet-50 train, on 16×16 inputs for one step each;
// overrides shrink data, epochs and resources only (no GPU here).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../../bench/grid/stack.ts';
import { benchmarkResultsSchema } from '../../../functions/benchmarks/view-schemas.ts';
import { specKey } from '../../../trainer/store/run-layout.ts';
import { writeInaturalist, writeTinyImagenet } from '../../trainer/data/images/fixtures.ts';

let dir: string;
let stack: LocalStack;
type BenchmarkResults = ReturnType<typeof benchmarkResultsSchema.parse>;
let tiny: Promise<BenchmarkResults>;
let inat: Promise<BenchmarkResults>;
const datasets = () => join(dir, 'data', 'datasets');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-vision-presets-'));
  await writeTinyImagenet(join(datasets(), 'tiny'), {
    wnids: ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'],
    trainPerClass: 6,
    valPerClass: 2,
  });
  await writeInaturalist(join(datasets(), 'inat'), {
    categories: [
      { id: 12, train: 5, val: 1 },
      { id: 3, train: 3, val: 1 },
      { id: 99, train: 2, val: 1 },
    ],
  });
  // Two trainers at once, one per core: the presets' cells are independent.
  stack = await startLocalStack({
    dir,
    trainerEnv: { LDAM_BACKEND: 'wasm' },
    pollMs: 200,
    maxConcurrentJobs: 2,
  });
  // Both benchmarks start now; each test awaits its own. Handled here so neither rejects unobserved.
  tiny = runPreset({
    preset: 'paper-tiny-imagenet',
    base: {
      ...testScale,
      dataset: { source: join(datasets(), 'tiny'), numClasses: 6, loader: 'stream', image: { size: 16 } },
    },
    methods: ['ldam-drw'],
    grid: { 'dataset.imbalance': [{ type: 'exp', ratio: 10 }] },
  });
  inat = runPreset({
    preset: 'paper-inat',
    base: {
      ...testScale,
      dataset: {
        source: join(datasets(), 'inat'),
        numClasses: 3,
        loader: 'memory',
        image: { size: 16, resize: 18 },
      },
      eval: { everyEpochs: 1 },
    },
    methods: ['erm'],
  });
  tiny.catch(() => {});
  inat.catch(() => {});
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

const testScale = {
  schedule: { epochs: 1, decay: [] },
  rebalance: { afterEpoch: 0 },
  optimizer: { batchSize: 64 },
  checkpoint: { everyEpochs: 1, keepLast: 1 },
  resources: { gpus: 0, cpus: 1, memoryGiB: 2, timeoutMinutes: 10 },
};

const readJson = async (key: string) => JSON.parse(new TextDecoder().decode(await stack.store.get(key)));

async function runPreset(body: Record<string, unknown>): Promise<BenchmarkResults> {
  const created = await fetch(`${stack.url}/v1/benchmarks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const view = (await created.json()) as { id: string };
  expect(created.status, JSON.stringify(view)).toBe(201);
  for (let i = 0; i < 600; i++) {
    const response = await fetch(`${stack.url}/v1/benchmarks/${view.id}/results?format=json`);
    const results = benchmarkResultsSchema.parse(await response.json());
    if (results.complete) return results;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('benchmark did not finish');
}

describe('large-vision presets through the API at test scale', () => {
  it('paper-tiny-imagenet: streamed Tiny ImageNet, top-5 and the paper beside the cell', async () => {
    const results = await tiny;
    expect(results.totals).toMatchObject({ cells: 1, succeeded: 1, failed: 0 });
    const group = results.groups[0];
    expect(group?.paperError).toBe(47.22);
    expect(group?.finalTop5Error?.mean).toBeGreaterThanOrEqual(0);
    expect(group?.finalTop5Error?.mean ?? 101).toBeLessThanOrEqual(group?.finalError?.mean ?? 0);
    const spec = await readJson(specKey(results.cells[0]?.jobId ?? ''));
    expect(spec.model.arch).toBe('resnet18');
  });

  it('paper-inat: natural distribution with non-contiguous category ids, beside Table 3', async () => {
    const results = await inat;
    expect(results.totals).toMatchObject({ cells: 1, succeeded: 1, failed: 0 });
    expect(results.groups[0]?.paperError).toBe(42.86);
    const jobId = results.cells[0]?.jobId ?? '';
    expect((await readJson(specKey(jobId))).model.arch).toBe('resnet50');
    const classes = await readJson(`runs/${jobId}/classes.json`);
    expect(classes.classes.map((c: { id: number }) => c.id)).toEqual([3, 12, 99]);
  });
});
