import { createRng, deriveSeed } from '../../random/rng.ts';
import type { RgbImage } from './decode.ts';
import { type Loaded, type PrefetchLimits, type PrefetchStats, prefetchInOrder } from './prefetch.ts';
import { centreRegion, type Normalisation, renderRegion, type TrainCrop, trainRegion } from './transform.ts';

/** A batch as the training loop takes it: NHWC floats, int labels. */
export interface ImageBatch {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly size: number;
}

/** Training batches are cropped with per-example seeds of (seed, epoch, position in the epoch). */
export type BatchMode =
  | { readonly kind: 'train'; readonly seed: number; readonly epoch: number }
  | { readonly kind: 'eval' };

/** Where a split's examples come from when they are not held as one float array. */
export interface ExampleSource {
  /** The batches of `order[first·batchSize …]`, decoded ahead of the consumer. */
  batches(
    order: Int32Array,
    batchSize: number,
    firstBatch: number,
    mode: BatchMode,
  ): AsyncIterable<ImageBatch>;
  readonly stats: PrefetchStats;
}

export interface ImageSourceSettings {
  /** Side of the square output. */
  readonly size: number;
  readonly crop: TrainCrop;
  readonly normalisation: Normalisation;
  readonly limits: PrefetchLimits;
}

/** The example at split index i, decoded (and resized); `bytes` is what it holds while buffered. */
export type ImageLoader = (index: number) => Promise<Loaded<RgbImage>>;

/**
 * One split's examples through the same transforms whatever loads them (held in memory or read
 * and decoded on demand), so both loaders give identical batches under a seed.
 */
export function imageExampleSource(
  labels: Int32Array,
  load: ImageLoader,
  settings: ImageSourceSettings,
  stats: PrefetchStats,
): ExampleSource {
  const { size, crop, normalisation, limits } = settings;
  const imageSize = size * size * 3;
  async function* batches(order: Int32Array, batchSize: number, firstBatch: number, mode: BatchMode) {
    const first = firstBatch * batchSize;
    const count = Math.max(0, order.length - first);
    const images = prefetchInOrder(count, (k) => load(order[first + k] ?? 0), limits, stats);
    let batch = newBatch(Math.min(batchSize, count), imageSize);
    let filled = 0;
    let position = first;
    for await (const image of images) {
      const region =
        mode.kind === 'train'
          ? trainRegion(image, size, crop, createRng(deriveSeed(mode.seed, `crop:${mode.epoch}:${position}`)))
          : centreRegion(image, size);
      renderRegion(image, region, size, normalisation, batch.images, filled * imageSize);
      batch.labels[filled] = labels[order[position] ?? 0] ?? 0;
      filled += 1;
      position += 1;
      if (filled === batch.size) {
        yield batch;
        batch = newBatch(Math.min(batchSize, order.length - position), imageSize);
        filled = 0;
      }
    }
  }
  return { batches, stats };
}

function newBatch(size: number, imageSize: number): ImageBatch {
  return { images: new Float32Array(size * imageSize), labels: new Int32Array(size), size };
}
