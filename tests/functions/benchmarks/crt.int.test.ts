import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../../bench/grid/stack.ts';
import { loadLatestCheckpoint } from '../../../trainer/checkpoint/index.ts';
import { readEvents } from '../../../trainer/events/log.ts';
import { classifierLayerName } from '../../../trainer/models/index.ts';

// cRT end to end at tiny size: a benchmark of ERM and ERM + cRT through the API (real server,
// embedded S3, local runner, real trainer). The cRT cell waits for its ERM cell, trains from that
// job's checkpoint, and its network keeps the ERM features exactly under a newly trained head.

const benchmark = {
  version: 1,
  name: 'ci-crt',
  base: {
    version: 1,
    dataset: {
      name: 'synthetic',
      numClasses: 3,
      maxPerClass: 60,
      imbalance: { type: 'exp', ratio: 10 },
      synthetic: { shape: [8], testPerClass: 20 },
    },
    model: { arch: 'mlp', hidden: [16] },
    optimizer: { batchSize: 16, lr: 0.05 },
    schedule: { epochs: 2 },
    checkpoint: { everyEpochs: 1, keepLast: 1 },
    resources: { gpus: 0, timeoutMinutes: 5 },
  },
  methods: ['erm', 'crt'],
  maxConcurrentCells: 2,
};

let dir: string;
let stack: LocalStack;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crt-int-'));
  stack = await startLocalStack({ dir, pollMs: 100 });
});

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${stack.url}${path}`, init);
  expect(response.ok, `${path}: HTTP ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

interface BenchmarkView {
  readonly progress: { readonly status: string; readonly succeeded: number };
  readonly cells: readonly { readonly id: string; readonly jobId: string | null; readonly state: string }[];
}

async function completed(id: string): Promise<BenchmarkView> {
  for (let i = 0; i < 600; i++) {
    const view = await json<BenchmarkView>(`/v1/benchmarks/${id}`);
    if (view.progress.status !== 'running') return view;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('benchmark did not finish');
}

describe('ERM + cRT through the API (real trainer)', () => {
  it('runs the cRT cell from the ERM cell: features frozen bit for bit, head re-trained', async () => {
    const created = await json<{ id: string }>('/v1/benchmarks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(benchmark),
    });
    const view = await completed(created.id);
    expect(view.cells.map((c) => [c.id, c.state])).toEqual([
      ['erm.s0.seed0', 'succeeded'],
      ['crt.s0.seed0', 'succeeded'],
    ]);
    const [erm, crt] = view.cells.map((c) => c.jobId ?? '');
    const job = await json<{ spec: { stage2: { fromJob: string }; schedule: { epochs: number } } }>(
      `/v1/jobs/${crt}`,
    );
    expect(job.spec.stage2).toEqual({ fromJob: erm });
    const { events } = await readEvents(stack.store, crt ?? '');
    expect(
      events.some((e) => e.kind === 'note' && e.message.startsWith(`stage 2: frozen features of job ${erm}`)),
    ).toBe(true);

    const stage1 = await loadLatestCheckpoint(stack.store, erm ?? '');
    const stage2 = await loadLatestCheckpoint(stack.store, crt ?? '');
    if (stage1 === undefined || stage2 === undefined) throw new Error('checkpoints missing');
    expect(stage2.epoch).toBe(10);
    const weights = (m: typeof stage1.model, layer: string) =>
      m
        .getLayer(layer)
        .getWeights()
        .map((w) => Array.from(w.dataSync()));
    expect(weights(stage2.model, 'hidden1')).toEqual(weights(stage1.model, 'hidden1'));
    expect(weights(stage2.model, classifierLayerName)).not.toEqual(
      weights(stage1.model, classifierLayerName),
    );
    stage1.model.dispose();
    stage2.model.dispose();

    const results = await json<{ groups: { method: string; bestError: { mean: number } | null }[] }>(
      `/v1/benchmarks/${created.id}/results?format=json`,
    );
    expect(results.groups.map((g) => g.method)).toEqual(['erm', 'crt']);
    for (const group of results.groups) expect(group.bestError?.mean).toBeLessThan(100);
  });
});
