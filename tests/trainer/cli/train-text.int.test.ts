import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../../trainer/reports/index.ts';
import { tinyImdbSpec, writeShortImdbCorpus } from '../../support/imdb.ts';
import { type ChildResult, jsonLines, runLdam, trainerEvents } from './child.ts';

// `ldam train` on an imdb spec as a real child process, over a generated corpus in the aclImdb
// layout: BiLSTM + Adam, per-class report, vocabulary in the checkpoint, exact resume, exit 3.

let dir: string;
let corpus: string;
const env = () => ({ LDAM_DATA_ROOTS: dir, LDAM_DATA_DIR: join(dir, 'data') });
// The three first runs are independent child processes: started together, one per core.
let first: ChildResult;
let straight: ChildResult;
let bad: ChildResult;
let specPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-text-'));
  corpus = await writeShortImdbCorpus(
    join(dir, 'aclImdb'),
    { train: 40, test: 20, seed: 1 },
    { maxWords: 16, signal: 0.3 },
  );
  const badCorpus = await writeShortImdbCorpus(
    join(dir, 'bad'),
    { train: 3, test: 2, seed: 2 },
    { medianWords: 5, sigma: 0.2, maxWords: 8 },
  );
  await writeFile(
    join(badCorpus, 'train', 'neg', '1_2.txt'),
    Buffer.from('good line\nbad \xff byte\n', 'latin1'),
  );
  specPath = await writeSpec('imdb', spec(corpus));
  const badSpec = await writeSpec('bad', spec(badCorpus));
  [first, straight, bad] = await Promise.all([
    runLdam(['train', '--spec', specPath, '--out', join(dir, 'out'), '--job', 'text-term'], {
      env: env(),
      onLine: (line, child) => {
        if (line.includes('"kind":"epoch"') && line.includes('"epoch":1,')) child.kill('SIGTERM');
      },
    }),
    runLdam(['train', '--spec', specPath, '--out', join(dir, 'reference'), '--job', 'text-ref'], {
      env: env(),
    }),
    runLdam(['train', '--spec', badSpec, '--out', join(dir, 'bad-out'), '--job', 'text-bad'], { env: env() }),
  ]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const spec = (source: string) =>
  tinyImdbSpec(source, {
    model: { bilstm: { units: 6 } },
    rebalance: { afterEpoch: 2 },
    optimizer: { batchSize: 10 },
    schedule: { epochs: 3 },
    checkpoint: { everyEpochs: 100, keepLast: 2 },
  });

async function writeSpec(name: string, value: unknown): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(value));
  return path;
}

const losses = async (out: string, job: string) =>
  (await trainerEvents(out, job))
    .filter((e) => e.kind === 'metric' && e.key === 'train_loss')
    .map((e) => e.value);

describe('ldam train with an imdb spec (child process)', () => {
  it('trains the BiLSTM with Adam, checkpoints its vocabulary and Adam state, and resumes exactly after SIGTERM', async () => {
    const out = join(dir, 'out');
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(75);
    const checkpoints = join(out, 'runs', 'text-term', 'checkpoints');
    const [epochDir] = (await readdir(checkpoints)).filter((f) => f.startsWith('epoch-'));
    const vocabulary = JSON.parse(
      await readFile(join(checkpoints, epochDir ?? '', 'vocabulary.json'), 'utf8'),
    );
    expect(vocabulary.tokens.slice(0, 2)).toEqual(['<pad>', '<unk>']);
    const optimizer = JSON.parse(await readFile(join(checkpoints, epochDir ?? '', 'optimizer.json'), 'utf8'));
    expect(optimizer.at(-1)).toMatchObject({ name: 'adam/step', shape: [2] });

    const second = await runLdam(['train', '--job', 'text-term', '--out', out], { env: env() });
    expect(second.code).toBe(0);
    const reference = join(dir, 'reference');
    expect(straight.code).toBe(0);
    expect(await losses(out, 'text-term')).toEqual(await losses(reference, 'text-ref'));

    const report = parseReport(
      JSON.parse(await readFile(join(reference, 'runs', 'text-ref', 'reports', 'report.json'), 'utf8')),
    );
    expect(report.classes.map((c) => [c.name, c.trainCount])).toEqual([
      ['pos', 40],
      ['neg', 10],
    ]);
    expect(report.final.perClassError).toHaveLength(2);
    expect(jsonLines(straight.stdout).at(-1)).toMatchObject({ status: 'succeeded' });
  });

  it('exits 3 naming the file and line of a review that is not UTF-8', () => {
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('train/neg/1_2.txt:2: is not valid UTF-8');
    expect(existsSync(join(dir, 'bad-out', 'runs', 'text-bad', 'checkpoints'))).toBe(false);
  });
});
