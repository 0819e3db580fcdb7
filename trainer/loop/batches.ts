import * as tf from '@tensorflow/tfjs';
import type { ExampleSource } from '../data/images/split-source.ts';
import type { RandomSource } from '../random/rng.ts';
import type { EpochRebalance } from './rebalance-plan.ts';

/** A split of examples: values one example after another (NHWC or N×features), int labels. */
export interface ExampleSplit {
  /** Empty when `source` decodes the examples on demand (image datasets read file by file). */
  readonly images: Float32Array;
  readonly source?: ExampleSource;
  readonly labels: Int32Array;
  readonly count: number;
}

/** The samplers the loop draws an epoch's order from (trainer/rebalance provides them). */
export interface Samplers {
  shuffledIndices(n: number, rng: RandomSource): Int32Array;
  classBalancedIndices(
    labels: Int32Array,
    weights: readonly number[],
    count: number,
    rng: RandomSource,
  ): Int32Array;
}

/**
 * One epoch's example order: a uniform permutation, or as many class-balanced draws with
 * replacement as there are training examples (the RS / DRS sampler).
 */
export function epochOrder(
  split: ExampleSplit,
  rebalance: EpochRebalance,
  classWeights: readonly number[],
  samplers: Samplers,
  rng: RandomSource,
): Int32Array {
  return rebalance.sampler === 'class-balanced'
    ? samplers.classBalancedIndices(split.labels, classWeights, split.count, rng)
    : samplers.shuffledIndices(split.count, rng);
}

/** A batch copied out of a split, before augmentation and before it becomes tensors. */
export interface HostBatch {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly size: number;
}

export function gatherBatch(split: ExampleSplit, indices: Int32Array, exampleSize: number): HostBatch {
  const images = new Float32Array(indices.length * exampleSize);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, row) => {
    images.set(split.images.subarray(index * exampleSize, (index + 1) * exampleSize), row * exampleSize);
    labels[row] = split.labels[index] as number;
  });
  return { images, labels, size: indices.length };
}

export function batchTensors(
  batch: HostBatch,
  inputShape: readonly number[],
): { x: tf.Tensor; y: tf.Tensor1D } {
  return {
    x: tf.tensor(batch.images, [batch.size, ...inputShape], 'float32'),
    y: tf.tensor1d(batch.labels, 'int32'),
  };
}

/** Number of batches in an epoch of `count` examples; the last one may be smaller (no drop_last). */
export function batchesPerEpoch(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/**
 * The host batches of one epoch from batch `first` on: gathered from memory and augmented with the
 * sequential RNG, or from the split's source with per-example crop seeds (so decoding can run ahead
 * and a resumed epoch gets the same crops without replaying the RNG).
 */
export async function* epochBatches(
  split: ExampleSplit,
  order: Int32Array,
  batchSize: number,
  first: number,
  exampleSize: number,
  augment: { readonly seed: number; readonly epoch: number; readonly memory?: (b: HostBatch) => HostBatch },
): AsyncGenerator<HostBatch> {
  if (split.source !== undefined) {
    yield* split.source.batches(order, batchSize, first, {
      kind: 'train',
      seed: augment.seed,
      epoch: augment.epoch,
    });
    return;
  }
  for (let b = first; b < batchesPerEpoch(order.length, batchSize); b++) {
    const indices = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, order.length));
    const gathered = gatherBatch(split, indices, exampleSize);
    yield augment.memory === undefined ? gathered : augment.memory(gathered);
  }
}

/** A split's examples in index order, batch by batch (evaluation). */
export async function* splitBatches(
  split: ExampleSplit,
  batchSize: number,
  exampleSize: number,
): AsyncGenerator<HostBatch> {
  if (split.source !== undefined) {
    const order = Int32Array.from({ length: split.count }, (_, i) => i);
    yield* split.source.batches(order, batchSize, 0, { kind: 'eval' });
    return;
  }
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    yield {
      images: split.images.subarray(start * exampleSize, (start + size) * exampleSize),
      labels: split.labels.subarray(start, start + size),
      size,
    };
  }
}
