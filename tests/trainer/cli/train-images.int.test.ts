// `ldam train` as a child process on image datasets in their published layouts (written by the
// test with real JPEGs), streamed file by file, and on a corrupt JPEG (exit 3 naming the file).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../../trainer/reports/index.ts';
import { makeTempDir } from '../data/fixtures.ts';
import { writeInaturalist, writeTinyImagenet } from '../data/images/fixtures.ts';
import { runLdam } from './child.ts';

let root: { dir: string; cleanup: () => Promise<void> };
let runs: Record<'tiny' | 'inat' | 'corrupt', Awaited<ReturnType<typeof train>>>;
beforeAll(async () => {
  root = await makeTempDir('ldam-train-images-');
  await writeTinyImagenet(join(root.dir, 'tiny'), {
    wnids: ['n1', 'n2', 'n3'],
    trainPerClass: 12,
    valPerClass: 4,
  });
  // Seven classes, so top-5 error is defined (the report leaves it null at ≤ 5).
  await writeTinyImagenet(join(root.dir, 'tiny7'), {
    wnids: ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'],
    trainPerClass: 8,
    valPerClass: 2,
  });
  await writeInaturalist(join(root.dir, 'inat'), {
    categories: [
      { id: 40, train: 6, val: 2 },
      { id: 7, train: 3, val: 2 },
    ],
  });
  await writeFile(
    join(root.dir, 'tiny', 'train', 'n2', 'images', 'n2_3.JPEG'),
    Buffer.from('not a jpeg at all'),
  );
  // Three independent trainer processes, started together (one per core); each test awaits its own.
  const [tiny, inat, corrupt] = await Promise.all([
    train(
      'tiny',
      spec({
        name: 'tiny-imagenet',
        source: join(root.dir, 'tiny7'),
        numClasses: 7,
        imbalance: { type: 'exp', ratio: 8 },
        loader: 'stream',
        image: { size: 16 },
      }),
    ),
    train(
      'inat',
      spec({
        name: 'inaturalist2018',
        source: join(root.dir, 'inat'),
        numClasses: 2,
        imbalance: { type: 'none' },
        image: { size: 16, resize: 18 },
      }),
    ),
    train(
      'corrupt',
      spec({
        name: 'tiny-imagenet',
        source: join(root.dir, 'tiny'),
        numClasses: 3,
        imbalance: { type: 'none' },
        loader: 'stream',
        image: { size: 16 },
      }),
    ),
  ]);
  runs = { tiny, inat, corrupt };
});
afterAll(async () => root.cleanup());

const spec = (dataset: Record<string, unknown>) => ({
  version: 1,
  dataset,
  model: { arch: 'mlp', hidden: [16] },
  optimizer: { lr: 0.05, batchSize: 8 },
  schedule: { epochs: 2 },
  checkpoint: { everyEpochs: 1, keepLast: 1 },
});

async function train(name: string, body: unknown) {
  const path = join(root.dir, `${name}.json`);
  await writeFile(path, JSON.stringify(body));
  const out = join(root.dir, `out-${name}`);
  const result = await runLdam(['train', '--spec', path, '--out', out, '--job', `job-${name}`], {
    env: { LDAM_DATA_ROOTS: root.dir, LDAM_DATA_DIR: join(root.dir, '.data') },
  });
  const read = (key: string) => readFile(join(out, 'runs', `job-${name}`, key), 'utf8');
  return { result, read };
}

describe('ldam train on image datasets (child process)', () => {
  it('trains streamed tiny-imagenet to a report with top-5 error, and records the loader in run.json', async () => {
    const { result, read } = await runs.tiny;
    expect(result.code, result.stderr).toBe(0);
    const runInfo = JSON.parse(await read('run.json'));
    expect(runInfo.dataset).toMatchObject({ loader: 'stream', loaderReason: "dataset.loader is 'stream'" });
    const report = parseReport(JSON.parse(await read('reports/report.json')));
    expect(report.classes.map((c) => c.name)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    // n_i = ⌊8 · 8^(−i/6)⌋ (exp profile, ρ = 8).
    expect(report.classes.map((c) => c.trainCount)).toEqual([8, 5, 4, 2, 2, 1, 1]);
    expect(report.final.top5Error).not.toBeNull();
    expect(report.final.top5Error ?? 1).toBeLessThanOrEqual(report.final.top1Error);
  });

  it('stores the iNaturalist category map with the run (auto loader: memory at this size)', async () => {
    const { result, read } = await runs.inat;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(await read('classes.json')).classes).toEqual([
      { index: 0, id: 7, name: 'species 7' },
      { index: 1, id: 40, name: 'species 40' },
    ]);
    expect(JSON.parse(await read('run.json')).dataset.loader).toBe('memory');
  });

  it('exits 3 naming the file when a JPEG is corrupt', async () => {
    const { result } = await runs.corrupt;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('train/n2/images/n2_3.JPEG: is not a readable JPEG or PNG');
  });
});
