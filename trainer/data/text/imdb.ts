import { join } from 'node:path';
import { imdbClassNames } from '../../spec/index.ts';
import { DataError } from '../errors.ts';
import type { DataFiles } from '../files.ts';
import type { RawTextDataset, RawTextSplit } from './types.ts';
import { decodeUtf8, maxReviewBytes } from './utf8.ts';

// The published layout of the Large Movie Review Dataset (Maas et al. 2011, aclImdb_v1): train/
// and test/ each with pos/ and neg/, one review per `<id>_<rating>.txt`. train/unsup, the *.feat
// files, urls_*.txt and imdb.vocab are not read. Hidden files (".DS_Store") are ignored; any other
// file in a class folder is an error, not a silent skip.

const reviewName = /^\d+_\d+\.txt$/;
export const imdbSplits = ['train', 'test'] as const;

/** The directory holding train/ and test/: the source itself or its `aclImdb/` folder. */
export async function findImdbRoot(files: DataFiles, dir: string): Promise<string> {
  for (const candidate of [dir, join(dir, 'aclImdb')])
    if (
      (await files.isDirectory(join(candidate, 'train'))) ||
      (await files.isDirectory(join(candidate, 'test')))
    )
      return candidate;
  throw new DataError(
    dir,
    'holds neither train/ and test/ nor aclImdb/train and aclImdb/test (the aclImdb layout)',
  );
}

async function readClassFolder(files: DataFiles, dir: string, label: string): Promise<string[]> {
  if (!(await files.isDirectory(dir)))
    throw new DataError(dir, `missing: the '${label}' reviews of this split`);
  const texts: string[] = [];
  for (const entry of await files.list(dir)) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (!entry.isFile || !reviewName.test(entry.name))
      throw new DataError(path, 'is not a review file (<id>_<rating>.txt)');
    const bytes = await files.read(path);
    if (bytes.length > maxReviewBytes)
      throw new DataError(
        `${path}:1`,
        `is ${bytes.length} bytes, over the ${maxReviewBytes}-byte limit of one review`,
      );
    const text = decodeUtf8(bytes, path);
    if (text.trim() === '') throw new DataError(`${path}:1`, 'empty review');
    texts.push(text);
  }
  if (texts.length === 0) throw new DataError(dir, `no reviews: class '${label}' is empty`);
  return texts;
}

async function readSplit(files: DataFiles, root: string, split: string): Promise<RawTextSplit> {
  const splitDir = join(root, split);
  if (!(await files.isDirectory(splitDir))) throw new DataError(splitDir, `missing: the ${split} split`);
  const texts: string[] = [];
  const labels: number[] = [];
  for (const [k, name] of imdbClassNames.entries()) {
    const reviews = await readClassFolder(files, join(splitDir, name), name);
    texts.push(...reviews);
    labels.push(...reviews.map(() => k));
  }
  return { texts, labels: Int32Array.from(labels) };
}

/** Reads train and test reviews; classes pos = 0, neg = 1. */
export async function readImdbDataset(files: DataFiles, dir: string): Promise<RawTextDataset> {
  const root = await findImdbRoot(files, dir);
  const train = await readSplit(files, root, 'train');
  const test = await readSplit(files, root, 'test');
  return { train, test, classNames: [...imdbClassNames] };
}
