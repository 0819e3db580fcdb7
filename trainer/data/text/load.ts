import { basename, dirname } from 'node:path';
import type { DatasetSpec, TextSpec } from '../../spec/index.ts';
import { DataError } from '../errors.ts';
import type { DataFiles } from '../files.ts';
import type { SourcePolicy } from '../source-policy.ts';
import { resolveDatasetSource, type SourceAccess } from '../sources.ts';
import { planSplits } from '../split-plan.ts';
import type { DataSplit, LoadedDataset } from '../types.ts';
import { archiveDataFiles } from './archive.ts';
import { readImdbDataset } from './imdb.ts';
import { readJsonlDataset } from './jsonl.ts';
import { tokenize } from './tokenize.ts';
import type { RawTextDataset } from './types.ts';
import { buildVocabulary, encodeInto, type Vocabulary, vocabularyIndex } from './vocabulary.ts';

export interface TextLoadOptions extends SourceAccess {
  /** A checkpoint's vocabulary: used instead of building one, so resume and evaluation match. */
  readonly vocabulary?: Vocabulary | undefined;
}

const archiveName = /\.(tar|tar\.gz|tgz)$/i;
// Where an in-memory archive's files appear to live (never touches the disk).
const archiveRoot = '/archive';

async function openSource(
  dataset: DatasetSpec,
  policy: SourcePolicy,
  access: SourceAccess,
): Promise<{ files: DataFiles; dir: string; location: string }> {
  const { source } = dataset;
  const local = source !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(source);
  if (local && archiveName.test(source)) {
    // The archive's folder goes through the same root checks as a directory source.
    const parent = await resolveDatasetSource(
      { name: dataset.name, source: dirname(source) },
      policy,
      access,
    );
    const path = `${parent.dir}/${basename(source)}`;
    if (!(await parent.files.isFile(path)))
      throw new DataError('dataset.source', `'${source}' is not a file`);
    const bytes = await parent.files.read(path);
    return {
      files: archiveDataFiles(bytes, basename(source), archiveRoot, policy.maxDownloadBytes),
      dir: archiveRoot,
      location: path,
    };
  }
  const resolved = await resolveDatasetSource(dataset, policy, access);
  return { files: resolved.files, dir: resolved.dir, location: resolved.dir };
}

function encodeSplit(
  tokens: readonly (readonly string[])[],
  labels: Int32Array,
  indices: Int32Array,
  index: ReadonlyMap<string, number>,
  maxLength: number,
): DataSplit {
  const images = new Float32Array(indices.length * maxLength);
  indices.forEach((i, row) => {
    encodeInto(tokens[i] ?? [], index, images.subarray(row * maxLength, (row + 1) * maxLength));
  });
  return { images, labels: Int32Array.from(indices, (i) => labels[i] ?? 0), count: indices.length };
}

/** Sub-samples, tokenises and encodes a text dataset read from its source. */
export function prepareTextDataset(
  dataset: DatasetSpec,
  text: TextSpec,
  raw: RawTextDataset,
  location: string,
  vocabulary?: Vocabulary,
): LoadedDataset {
  const numClasses = raw.classNames.length;
  const plan = planSplits(dataset, raw, numClasses);
  const trainTokens = raw.train.texts.map(tokenize);
  const testTokens = raw.test.texts.map(tokenize);
  // Built from the kept training reviews only: validation and test words stay unseen.
  const vocab =
    vocabulary ??
    buildVocabulary(
      Array.from(plan.train, (i) => trainTokens[i] ?? []),
      text,
    );
  const index = vocabularyIndex(vocab);
  const encode = (tokens: readonly (readonly string[])[], labels: Int32Array, indices: Int32Array) =>
    encodeSplit(tokens, labels, indices, index, text.maxLength);
  const result: LoadedDataset = {
    train: encode(trainTokens, raw.train.labels, plan.train),
    test: encode(testTokens, raw.test.labels, plan.test),
    inputShape: [text.maxLength],
    numClasses,
    classNames: [...raw.classNames],
    classCounts: plan.classCounts,
    normalization: { mean: [0], std: [1] },
    location,
    vocabulary: vocab,
  };
  if (plan.validation === undefined) return result;
  return { ...result, validation: encode(trainTokens, raw.train.labels, plan.validation) };
}

/** Reads an imdb or JSONL dataset (directory or .tar(.gz)) and prepares it for the BiLSTM. */
export async function loadTextDataset(
  dataset: DatasetSpec,
  text: TextSpec,
  policy: SourcePolicy,
  options: TextLoadOptions,
): Promise<LoadedDataset> {
  const { files, dir, location } = await openSource(dataset, policy, options);
  const raw =
    dataset.name === 'imdb'
      ? await readImdbDataset(files, dir)
      : await readJsonlDataset(files, dir, dataset.labels ?? []);
  return prepareTextDataset(dataset, text, raw, location, options.vocabulary);
}
