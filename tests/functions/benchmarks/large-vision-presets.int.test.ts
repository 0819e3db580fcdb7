// The paper-tiny-imagenet and paper-inat presets end to end at test scale: real HTTP server,
// embedded S3, local runner and real trainer processes, on small datasets written in the published
// layouts. Overrides shrink data, epochs and resources (no GPU here) and swap ResNet-18/50 for a
// small MLP to stay CI-sized: a ResNet-18 cell took 70 s here on the shared 2-core machine. The
// ResNets' training steps are tested in tests/trainer/models/imagenet-resnet.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../../bench/grid/stack.ts';
import { benchmarkResultsSchema } from '../../../functions/benchmarks/view-schemas.ts';
import { writeInaturalist, writeTinyImagenet } from '../../trainer/data/images/fixtures.ts';

let dir: string;
let stack: LocalStack;
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
  stack = await startLocalStack({ dir, trainerEnv: { LDAM_BACKEND: 'wasm' }, pollMs: 200 });
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

async function runPreset(body: Record<string, unknown>) {
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
    const results = await runPreset({
      preset: 'paper-tiny-imagenet',
      base: {
        ...testScale,
        dataset: { source: join(datasets(), 'tiny'), numClasses: 6, loader: 'stream', image: { size: 16 } },
        model: { arch: 'mlp', hidden: [16] },
      },
      methods: ['ldam-drw'],
      grid: { 'dataset.imbalance': [{ type: 'exp', ratio: 10 }] },
    });
    expect(results.totals).toMatchObject({ cells: 1, succeeded: 1, failed: 0 });
    const group = results.groups[0];
    expect(group?.paperError).toBe(47.22);
    expect(group?.finalTop5Error?.mean).toBeGreaterThanOrEqual(0);
    expect(group?.finalTop5Error?.mean ?? 101).toBeLessThanOrEqual(group?.finalError?.mean ?? 0);
  });

  it('paper-inat: natural distribution with non-contiguous category ids, beside Table 3', async () => {
    const results = await runPreset({
      preset: 'paper-inat',
      base: {
        ...testScale,
        dataset: {
          source: join(datasets(), 'inat'),
          numClasses: 3,
          loader: 'memory',
          image: { size: 16, resize: 18 },
        },
        model: { arch: 'mlp', hidden: [16] },
        eval: { everyEpochs: 1 },
      },
      methods: ['erm'],
    });
    expect(results.totals).toMatchObject({ cells: 1, succeeded: 1, failed: 0 });
    expect(results.groups[0]?.paperError).toBe(42.86);
    const jobId = results.cells[0]?.jobId ?? '';
    const classes = JSON.parse(new TextDecoder().decode(await stack.store.get(`runs/${jobId}/classes.json`)));
    expect(classes.classes.map((c: { id: number }) => c.id)).toEqual([3, 12, 99]);
  });
});
