import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../../trainer/data/load.ts';
import { type ExperimentSpecInput, parseExperimentSpec } from '../../../../trainer/spec/index.ts';
import { makeTempDir } from '../fixtures.ts';

// Small reviews written in the published aclImdb layout (and as a real tarball from tar(1)).

const datasetOf = (dataset: Partial<ExperimentSpecInput['dataset']>) =>
  parseExperimentSpec({ version: 1, dataset: { name: 'imdb', ...dataset }, model: { arch: 'bilstm' } })
    .dataset;

let base: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: base, cleanup } = await makeTempDir()));
afterEach(() => cleanup());
const roots = () => join(base, 'roots');
const env = () => ({ LDAM_DATA_DIR: join(base, 'data'), LDAM_DATA_ROOTS: roots() });

type Reviews = Record<string, Record<string, (string | Uint8Array)[]>>;

async function writeLayout(dir: string, reviews: Reviews): Promise<void> {
  for (const [split, classes] of Object.entries(reviews))
    for (const [label, texts] of Object.entries(classes)) {
      await mkdir(join(dir, split, label), { recursive: true });
      for (const [i, text] of texts.entries())
        await writeFile(join(dir, split, label, `${i}_${label === 'pos' ? 8 : 2}.txt`), text);
    }
}

const many = (word: string, n: number) => Array.from({ length: n }, (_, i) => `A ${word} film, number ${i}!`);
const standard = (): Reviews => ({
  train: { pos: many('great', 20), neg: many('awful', 20) },
  test: { pos: [...many('great', 5), 'An unseenword here.'], neg: many('awful', 6) },
});

describe('imdb loader', () => {
  it('reads the layout with pos = 0 and neg = 1, keeps 1/ρ of neg, and leaves the test split balanced', async () => {
    await writeLayout(join(roots(), 'aclImdb'), standard());
    await mkdir(join(roots(), 'aclImdb', 'train', 'unsup'), { recursive: true });
    await writeFile(join(roots(), 'aclImdb', 'train', 'unsup', '0_0.txt'), 'never read');
    await writeFile(join(roots(), 'aclImdb', 'imdb.vocab'), 'ignored');
    const data = await loadDataset(
      datasetOf({
        source: join(roots(), 'aclImdb'),
        imbalance: { type: 'step', ratio: 10, minority: ['neg'] },
        text: { maxLength: 8, minCount: 1 },
      }),
      { env: env() },
    );
    expect(data.classNames).toEqual(['pos', 'neg']);
    expect(data.classCounts).toEqual([20, 2]);
    expect(data.test.count).toBe(12);
    expect(data.inputShape).toEqual([8]);
    expect([...data.test.labels].filter((l) => l === 1)).toHaveLength(6);
    const tokens = data.vocabulary?.tokens ?? [];
    expect(tokens.slice(0, 2)).toEqual(['<pad>', '<unk>']);
    expect(tokens).toContain('great');
    expect(tokens).not.toContain('unseenword');
    // "A great film, number 3!" → a great film , number 3 ! <pad>
    const row = Array.from(data.train.images.subarray(0, 8));
    expect(row[7]).toBe(0);
    expect(row.slice(0, 7).every((id) => id > 0)).toBe(true);
  });

  it('reads the same reviews from a .tar.gz, with or without the top-level aclImdb/ folder', async () => {
    await writeLayout(join(base, 'src', 'aclImdb'), standard());
    await mkdir(roots(), { recursive: true });
    execFileSync('tar', ['-czf', join(roots(), 'with.tar.gz'), '-C', join(base, 'src'), 'aclImdb']);
    execFileSync('tar', [
      '-czf',
      join(roots(), 'without.tgz'),
      '-C',
      join(base, 'src', 'aclImdb'),
      'train',
      'test',
    ]);
    const spec = (source: string) =>
      datasetOf({ source, imbalance: { type: 'none' }, text: { maxLength: 6, minCount: 1 } });
    const fromDir = await loadDataset(spec(join(base, 'src', 'aclImdb')), {
      env: { ...env(), LDAM_DATA_ROOTS: base },
    });
    for (const archive of ['with.tar.gz', 'without.tgz']) {
      const fromTar = await loadDataset(spec(join(roots(), archive)), { env: env() });
      expect(fromTar.vocabulary).toEqual(fromDir.vocabulary);
      expect(Array.from(fromTar.train.images)).toEqual(Array.from(fromDir.train.images));
      expect(Array.from(fromTar.test.labels)).toEqual(Array.from(fromDir.test.labels));
    }
  });

  it('refuses an archive outside the allowed roots', async () => {
    await writeLayout(join(base, 'src', 'aclImdb'), standard());
    execFileSync('tar', ['-czf', join(base, 'outside.tar.gz'), '-C', join(base, 'src'), 'aclImdb']);
    await mkdir(roots(), { recursive: true });
    await expect(
      loadDataset(datasetOf({ source: join(base, 'outside.tar.gz') }), { env: env() }),
    ).rejects.toThrow('outside the allowed data roots');
  });

  const bad: [string, (r: Reviews) => Reviews | Promise<Reviews>, string][] = [
    [
      'an empty review file',
      (r) => ({ ...r, train: { pos: [...(r.train?.pos ?? []), ''], neg: r.train?.neg ?? [] } }),
      'train/pos/20_8.txt:1: empty review',
    ],
    [
      'bytes that are not UTF-8',
      (r) => ({
        ...r,
        test: { pos: r.test?.pos ?? [], neg: [Buffer.from('fine line\nbad \xff\xfe byte', 'latin1')] },
      }),
      'test/neg/0_2.txt:2: is not valid UTF-8',
    ],
    ['a missing split', (r) => ({ train: r.train ?? {} }), 'test: missing: the test split'],
    [
      'a class folder with no reviews',
      (r) => ({ ...r, train: { pos: r.train?.pos ?? [], neg: [] } }),
      "train/neg: no reviews: class 'neg' is empty",
    ],
    [
      'a 50 MB review',
      (r) => ({ ...r, train: { pos: ['x '.repeat(25 << 20)], neg: r.train?.neg ?? [] } }),
      'train/pos/0_8.txt:1: is 52428800 bytes, over the 1048576-byte limit',
    ],
  ];
  it.each(bad)('names the file and line of %s', async (_, change, message) => {
    await writeLayout(join(roots(), 'imdb'), await change(standard()));
    await expect(
      loadDataset(datasetOf({ source: join(roots(), 'imdb') }), { env: env() }),
    ).rejects.toMatchObject({
      name: 'DataError',
      message: expect.stringContaining(message),
    });
  });

  it('refuses stray files in a class folder instead of skipping them', async () => {
    await writeLayout(join(roots(), 'imdb'), standard());
    await writeFile(join(roots(), 'imdb', 'train', 'pos', 'notes.md'), 'x');
    await writeFile(join(roots(), 'imdb', 'train', 'pos', '.DS_Store'), 'ignored');
    await expect(loadDataset(datasetOf({ source: join(roots(), 'imdb') }), { env: env() })).rejects.toThrow(
      'train/pos/notes.md: is not a review file',
    );
  });
});
