import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../../trainer/reports/index.ts';
import { type EmbeddedS3, runKey, type S3Store, startEmbeddedS3 } from '../../../trainer/store/index.ts';
import { runLdam } from './child.ts';

let dir: string;
let s3: EmbeddedS3;
let store: S3Store;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-train-s3-'));
  s3 = await startEmbeddedS3({ dataDir: join(dir, 's3'), bucket: 'ldam-test' });
  store = s3.createStore();
});

afterAll(async () => {
  store.close();
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

const spec = {
  version: 1,
  dataset: { name: 'synthetic', numClasses: 3, maxPerClass: 60, synthetic: { shape: [4], testPerClass: 20 } },
  model: { arch: 'mlp', hidden: [8] },
  loss: { type: 'focal' },
  rebalance: { rule: 'reweight' },
  optimizer: { lr: 0.05, batchSize: 16 },
  schedule: { epochs: 2 },
  checkpoint: { everyEpochs: 1, keepLast: 1 },
};

describe('ldam train against an S3-compatible server (embedded s3rver, child process)', () => {
  it('reads runs/<job>/spec.json from the store the S3_* env names and writes everything back there', async () => {
    await store.put(runKey('job-s3', 'spec.json'), JSON.stringify(spec));
    const result = await runLdam(['train', '--job', 'job-s3'], { env: s3.childEnv() });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    const keys = (await store.list(runKey('job-s3'))).map((o) => o.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'runs/job-s3/run.json',
        'runs/job-s3/checkpoints/latest.json',
        'runs/job-s3/checkpoints/epoch-0002/manifest.json',
        'runs/job-s3/reports/report.json',
      ]),
    );
    const report = parseReport(
      JSON.parse(new TextDecoder().decode(await store.get('runs/job-s3/reports/report.json'))),
    );
    // keepLast 1 prunes epoch 1, unless it is the best epoch, whose checkpoint is always kept.
    const keptFirst = keys.some((k) => k.startsWith('runs/job-s3/checkpoints/epoch-0001/'));
    expect(keptFirst).toBe(report.best.epoch === 1);
    expect(report.spec.loss).toMatchObject({ type: 'focal' });
  });

  it('takes --spec from s3://bucket/key and --out s3://bucket/prefix', async () => {
    await store.put('specs/tiny.json', JSON.stringify(spec));
    const result = await runLdam(
      [
        'train',
        '--spec',
        's3://ldam-test/specs/tiny.json',
        '--out',
        's3://ldam-test/elsewhere',
        '--job',
        'job-s3b',
      ],
      { env: s3.childEnv() },
    );
    expect(result.code).toBe(0);
    expect(await store.head('elsewhere/runs/job-s3b/reports/report.md')).toBeDefined();
    expect(await store.head('elsewhere/runs/job-s3b/spec.json')).toBeDefined();
  });
});
