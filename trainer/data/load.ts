import { deriveSeed } from '../random/rng.ts';
import {
  type DatasetSpec,
  defaultTextSpec,
  fixedClassCounts,
  isImageDataset,
  isTextDataset,
} from '../spec/index.ts';
import { detectCifarVariant, readCifarDataset } from './cifar-bin.ts';
import { fashionMnistClassNames, mnistClassNames, numberedClassNames } from './class-names.ts';
import { DataError } from './errors.ts';
import { readIdxDataset } from './idx.ts';
import { readImageFolderDataset } from './image-folder.ts';
import { type AugmentLike, loadImageDataset } from './images/load-images.ts';
import { imageBlobsFor } from './images/source.ts';
import { channelStats, gatherExamples, normalizeInPlace } from './normalize.ts';
import { type Env, sourcePolicyFromEnv } from './source-policy.ts';
import { type ResolvedSource, resolveDatasetSource, type SourceAccess } from './sources.ts';
import { planSplits } from './split-plan.ts';
import { makeSyntheticDataset } from './synthetic.ts';
import { loadTextDataset } from './text/load.ts';
import type { Vocabulary } from './text/vocabulary.ts';
import type { ChannelStats, DataSplit, LoadedDataset, RawDataset, RawSplit } from './types.ts';
import { exampleSize } from './types.ts';

export interface LoadDatasetOptions extends SourceAccess {
  /** Default: process.env (LDAM_DATA_ROOTS, LDAM_DATA_DIR, LDAM_FASHION_MNIST_DIR, LDAM_DATA_URL_ALLOW, S3_BUCKET). */
  readonly env?: Env;
  /** Relative data paths resolve against it (default: process.cwd()). */
  readonly cwd?: string;
  /** Cap on s3:// and https:// downloads. */
  readonly maxDownloadBytes?: number;
  /** Image datasets read file by file: the spec's augmentation (their crops are made as they load). */
  readonly augment?: AugmentLike | undefined;
  /** Decoded images `dataset.loader: auto` may hold in memory. */
  readonly loaderBudgetBytes?: number;
  /** Text datasets: a checkpoint's vocabulary, used instead of building one. */
  readonly vocabulary?: Vocabulary | undefined;
}

/** Synthetic training examples per class when `maxPerClass` does not say. */
export const defaultSyntheticPerClass = 500;

function synthetic(dataset: DatasetSpec, numClasses: number): RawDataset {
  const settings = dataset.synthetic ?? { shape: [32], separation: 3, testPerClass: 200 };
  return makeSyntheticDataset({
    shape: settings.shape,
    numClasses,
    separation: settings.separation,
    // The validation split comes out of the pool first; generate it on top of n_max.
    trainPerClass: (dataset.maxPerClass ?? defaultSyntheticPerClass) + (dataset.validationPerClass ?? 0),
    testPerClass: settings.testPerClass,
    seed: deriveSeed(dataset.seed, 'synthetic'),
  });
}

async function readFromSource(
  dataset: DatasetSpec,
  numClasses: number,
  source: ResolvedSource,
): Promise<RawDataset> {
  const { files, dir } = source;
  switch (dataset.name) {
    case 'fashion-mnist':
      return readIdxDataset(files, dir, numClasses, fashionMnistClassNames);
    case 'mnist':
      return readIdxDataset(files, dir, numClasses, mnistClassNames);
    case 'cifar10':
    case 'cifar100':
      return readCifarDataset(files, dir, dataset.name, numClasses);
    default:
      break;
  }
  switch (dataset.format) {
    case 'idx':
      return readIdxDataset(files, dir, numClasses, numberedClassNames(numClasses));
    case 'cifar-bin':
      return readCifarDataset(files, dir, await detectCifarVariant(files, dir), numClasses);
    case 'image-folder': {
      const raw = await readImageFolderDataset(files, dir);
      if (raw.classNames.length !== numClasses)
        throw new DataError(
          dir,
          `has ${raw.classNames.length} class folders (${raw.classNames.join(', ')}) but dataset.numClasses is ${numClasses}`,
        );
      return raw;
    }
    case 'image-manifest':
    case 'jsonl':
    case undefined:
      throw new DataError('dataset.format', `not an image format for the '${dataset.name}' dataset`);
  }
}

function inputShapeOf(shape: readonly number[]): [number, number, number] | [number] {
  const [a = 1, b = 1, c = 1] = shape;
  if (shape.length === 1) return [a];
  // An [h, w] synthetic shape is a one-channel image.
  return [a, b, shape.length === 2 ? 1 : c];
}

function toSplit(raw: RawSplit, size: number, indices: Int32Array, stats?: ChannelStats): DataSplit {
  const images = gatherExamples(raw.values, size, indices);
  if (stats !== undefined) normalizeInPlace(images, stats);
  const labels = Int32Array.from(indices, (i) => raw.labels[i] ?? 0);
  return { images, labels, count: indices.length };
}

/**
 * Reads the dataset a spec names, draws its validation split and imbalanced training set
 * (`dataset.seed`), caps the test set, and normalises all splits by the training set's per-channel
 * mean and std. Logs nothing; every problem with the data is a DataError.
 */
export async function loadDataset(
  dataset: DatasetSpec,
  options: LoadDatasetOptions = {},
): Promise<LoadedDataset> {
  if (isImageDataset(dataset)) {
    const policy = sourcePolicyFromEnv(options.env ?? process.env, options.cwd ?? process.cwd());
    return loadImageDataset(
      dataset,
      await imageBlobsFor(dataset, policy, options, options.env ?? process.env),
      {
        augment: options.augment,
        ...(options.loaderBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.loaderBudgetBytes }),
      },
    );
  }
  const numClasses = dataset.numClasses ?? fixedClassCounts[dataset.name] ?? 10;
  if (isTextDataset(dataset)) {
    const policy = sourcePolicyFromEnv(
      options.env ?? process.env,
      options.cwd ?? process.cwd(),
      options.maxDownloadBytes,
    );
    return loadTextDataset(dataset, { ...defaultTextSpec, ...dataset.text }, policy, options);
  }
  const { raw, location } = await readNumericDataset(dataset, numClasses, options);
  return prepareNumericDataset(dataset, raw, numClasses, location);
}

/** The synthetic data, or a numeric dataset (IDX, CIFAR binary) read from its source. */
async function readNumericDataset(
  dataset: DatasetSpec,
  numClasses: number,
  options: LoadDatasetOptions,
): Promise<{ raw: RawDataset; location: string }> {
  if (dataset.name === 'synthetic') return { raw: synthetic(dataset, numClasses), location: 'synthetic' };
  const policy = sourcePolicyFromEnv(
    options.env ?? process.env,
    options.cwd ?? process.cwd(),
    options.maxDownloadBytes,
  );
  const source = await resolveDatasetSource(dataset, policy, options);
  return { raw: await readFromSource(dataset, numClasses, source), location: source.dir };
}

/** Splits a read dataset and normalises every split by the training set's per-channel statistics. */
function prepareNumericDataset(
  dataset: DatasetSpec,
  raw: RawDataset,
  numClasses: number,
  location: string,
): LoadedDataset {
  const inputShape = inputShapeOf(raw.exampleShape);
  const size = exampleSize(inputShape);
  const channels = inputShape[inputShape.length - 1] ?? 1;
  const plan = planSplits(dataset, raw, numClasses);
  const train = toSplit(raw.train, size, plan.train);
  const normalization = channelStats(train.images, channels);
  normalizeInPlace(train.images, normalization);
  const result: LoadedDataset = {
    train,
    test: toSplit(raw.test, size, plan.test, normalization),
    inputShape,
    numClasses,
    classNames: [...raw.classNames],
    classCounts: plan.classCounts,
    normalization,
    location,
  };
  if (plan.validation === undefined) return result;
  return { ...result, validation: toSplit(raw.train, size, plan.validation, normalization) };
}
