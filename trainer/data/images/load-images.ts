import type { DatasetSpec, ImageSpec, LoaderMode } from '../../spec/index.ts';
import { imagenetMean, imagenetStd, nominalClassCounts } from '../../spec/index.ts';
import { defaultPadding } from '../augment.ts';
import { DataError } from '../errors.ts';
import { capPerClass, planSubsample } from '../imbalance.ts';
import type { DataSplit, LoadedDataset } from '../types.ts';
import type { ImageBlobs } from './blobs.ts';
import { decodeRgb, type RgbImage } from './decode.ts';
import { readInaturalistIndex } from './inaturalist.ts';
import type { ImageEntries, ImageIndex } from './index-types.ts';
import { readManifestIndex } from './manifest.ts';
import { emptyPrefetchStats, type PrefetchLimits, prefetchInOrder } from './prefetch.ts';
import { type ImageSourceSettings, imageExampleSource } from './split-source.ts';
import { readTinyImagenetIndex } from './tiny-imagenet.ts';
import type { TrainCrop } from './transform.ts';

export interface AugmentLike {
  readonly crop: boolean;
  readonly padding?: number | undefined;
  readonly flip: boolean;
}

export interface ImageLoadOptions {
  /** Default: random crops and flips. */
  readonly augment?: AugmentLike | undefined;
  /** Decoded images `auto` may hold in memory (default 2 GiB). */
  readonly memoryBudgetBytes?: number;
  readonly limits?: PrefetchLimits;
}

export const defaultLoaderBudgetBytes = 2 * 1024 ** 3;
/** Decodes ahead: 8 at once, up to 256 MiB of decoded images waiting for the trainer. */
export const defaultPrefetchLimits: PrefetchLimits = { concurrency: 8, maxBufferedBytes: 256 * 1024 ** 2 };

const defaultImage: ImageSpec = { trainCrop: 'random', mean: [...imagenetMean], std: [...imagenetStd] };

async function readIndex(dataset: DatasetSpec, blobs: ImageBlobs, numClasses: number): Promise<ImageIndex> {
  if (dataset.name === 'tiny-imagenet') return readTinyImagenetIndex(blobs);
  if (dataset.name === 'inaturalist2018') return readInaturalistIndex(blobs);
  return readManifestIndex(blobs, numClasses);
}

/** Output side, shorter side after decoding: Tiny ImageNet's 64 px as published, 256 → 224 otherwise. */
export function imageGeometry(dataset: DatasetSpec): { size: number; resize: number | undefined } {
  const tiny = dataset.name === 'tiny-imagenet';
  return {
    size: dataset.image?.size ?? (tiny ? 64 : 224),
    resize: dataset.image?.resize ?? (tiny ? undefined : 256),
  };
}

function trainCropOf(dataset: DatasetSpec, augment: AugmentLike, size: number, resize?: number): TrainCrop {
  const kind = !augment.crop ? 'centre' : (dataset.image?.trainCrop ?? 'random');
  // Tiny ImageNet's recipe pads 8 px (an eighth of 64); resized images are cropped without padding.
  const padding =
    kind === 'random' ? (augment.padding ?? (resize === undefined ? defaultPadding(size, size) : 0)) : 0;
  return { kind, padding, flip: augment.flip };
}

/** Bytes a decoded image holds: size² × 3, or ~4/3 · resize² × 3 for a typical 4:3 photo. */
function decodedBytesEstimate(size: number, resize: number | undefined): number {
  return resize === undefined ? size * size * 3 : Math.round((resize * resize * 4 * 3) / 3);
}

export function chooseLoader(
  requested: LoaderMode,
  images: number,
  perImage: number,
  budget: number,
): { mode: 'memory' | 'stream'; reason: string } {
  const bytes = images * perImage;
  const mib = (n: number) => `${Math.round(n / 1024 ** 2)} MiB`;
  if (requested !== 'auto') return { mode: requested, reason: `dataset.loader is '${requested}'` };
  return bytes <= budget
    ? { mode: 'memory', reason: `~${mib(bytes)} decoded fits the ${mib(budget)} loader budget` }
    : { mode: 'stream', reason: `~${mib(bytes)} decoded exceeds the ${mib(budget)} loader budget` };
}

function pick(entries: ImageEntries, indices: Int32Array): ImageEntries {
  return {
    paths: Array.from(indices, (i) => entries.paths[i] ?? ''),
    labels: Int32Array.from(indices, (i) => entries.labels[i] ?? 0),
  };
}

async function decodeAll(
  entries: ImageEntries,
  read: (path: string) => Promise<RgbImage>,
  limits: PrefetchLimits,
): Promise<RgbImage[]> {
  const images: RgbImage[] = [];
  const all = prefetchInOrder(
    entries.paths.length,
    async (i) => ({ value: await read(entries.paths[i] ?? ''), bytes: 0 }),
    limits,
  );
  for await (const image of all) images.push(image);
  return images;
}

async function splitOf(
  entries: ImageEntries,
  mode: 'memory' | 'stream',
  read: (path: string) => Promise<RgbImage>,
  settings: ImageSourceSettings,
): Promise<DataSplit> {
  const stats = emptyPrefetchStats();
  const held = mode === 'memory' ? await decodeAll(entries, read, settings.limits) : undefined;
  const load = async (i: number) => {
    const image = held?.[i] ?? (await read(entries.paths[i] ?? ''));
    return { value: image, bytes: held === undefined ? image.pixels.byteLength : 0 };
  };
  return {
    images: new Float32Array(0),
    labels: entries.labels,
    count: entries.labels.length,
    source: imageExampleSource(entries.labels, load, settings, stats),
  };
}

/**
 * Reads an image dataset's index, draws the imbalanced training set and capped test set as for
 * the other datasets (dataset.seed), and gives each split an example source that decodes its
 * images (held in memory or streamed, per dataset.loader). No image is decoded before training
 * on the stream path; a bad image is a DataError naming its file when its turn comes.
 */
export async function loadImageDataset(
  dataset: DatasetSpec,
  blobs: ImageBlobs,
  options: ImageLoadOptions,
): Promise<LoadedDataset> {
  const nominal = nominalClassCounts[dataset.name as keyof typeof nominalClassCounts];
  const numClasses = dataset.numClasses ?? nominal ?? 0;
  const index = await readIndex(dataset, blobs, numClasses);
  if (index.classNames.length !== numClasses)
    throw new DataError(
      dataset.name === 'tiny-imagenet' ? 'wnids.txt' : 'train2018.json',
      `has ${index.classNames.length} classes but dataset.numClasses is ${numClasses}` +
        (dataset.numClasses === undefined ? ' (the default); set it for a subset' : ''),
    );
  const plan = planSubsample({
    labels: index.train.labels,
    numClasses,
    seed: dataset.seed,
    imbalance: dataset.imbalance,
    maxPerClass: dataset.maxPerClass,
    validationPerClass: dataset.validationPerClass,
    classNames: index.classNames,
  });
  const testIndices = capPerClass(
    index.test.labels,
    numClasses,
    dataset.testPerClass,
    dataset.seed,
    index.classNames,
  );
  const { size, resize } = imageGeometry(dataset);
  const image = dataset.image ?? defaultImage;
  const settings: ImageSourceSettings = {
    size,
    crop: trainCropOf(dataset, options.augment ?? { crop: true, flip: true }, size, resize),
    normalisation: { mean: image.mean, std: image.std },
    limits: options.limits ?? defaultPrefetchLimits,
  };
  const kept = plan.train.length + testIndices.length + (plan.validation?.length ?? 0);
  const loader = chooseLoader(
    dataset.loader ?? 'auto',
    kept,
    decodedBytesEstimate(size, resize),
    options.memoryBudgetBytes ?? defaultLoaderBudgetBytes,
  );
  const read = async (path: string) => decodeRgb(await blobs.read(path), path, resize);
  const split = (entries: ImageEntries, indices: Int32Array) =>
    splitOf(pick(entries, indices), loader.mode, read, settings);
  const result: LoadedDataset = {
    train: await split(index.train, plan.train),
    test: await split(index.test, testIndices),
    inputShape: [size, size, 3],
    numClasses,
    classNames: [...index.classNames],
    classCounts: plan.classCounts,
    normalization: settings.normalisation,
    location: blobs.describe(),
    loader,
    ...(index.sourceClassIds === undefined ? {} : { sourceClassIds: index.sourceClassIds }),
  };
  return plan.validation === undefined
    ? result
    : { ...result, validation: await split(index.train, plan.validation) };
}
