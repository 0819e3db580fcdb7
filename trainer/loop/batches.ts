import * as tf from '@tensorflow/tfjs';
import type { RandomSource } from '../random/rng.ts';
import type { EpochRebalance } from './rebalance-plan.ts';

/** A split of examples: values one example after another (NHWC or N×features), int labels. */
export interface ExampleSplit {
  readonly images: Float32Array;
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
