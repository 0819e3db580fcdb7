import type { Vocabulary } from './text/vocabulary.ts';

/** Pixel or feature values of N examples, one example after another (NHWC for images). */
export type ExampleValues = Uint8Array | Float32Array;

/** One split as read from disk or generated, before sub-sampling and normalisation. */
export interface RawSplit {
  readonly values: ExampleValues;
  /** Class index per example. */
  readonly labels: Int32Array;
  readonly count: number;
}

/** A whole dataset as its source holds it: a balanced (or as-is) training pool and a test set. */
export interface RawDataset {
  readonly train: RawSplit;
  readonly test: RawSplit;
  /** [height, width, channels] for images, [features] for vectors. */
  readonly exampleShape: readonly number[];
  readonly classNames: readonly string[];
}

/** One split ready for training: normalised float values and int labels. */
export interface DataSplit {
  /** NHWC (or N×features), normalised by the training set's per-channel mean and std. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** Per-channel statistics of the sub-sampled training set, in the [0, 1] scale of uint8 sources. */
export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface LoadedDataset {
  readonly train: DataSplit;
  readonly test: DataSplit;
  readonly validation?: DataSplit;
  readonly inputShape: [number, number, number] | [number];
  readonly numClasses: number;
  readonly classNames: string[];
  /** Training examples per class after validation split and imbalance sub-sampling. */
  readonly classCounts: number[];
  readonly normalization: ChannelStats;
  /** Where the data came from: a directory, or `synthetic`. */
  readonly location: string;
  /** Text datasets: the vocabulary token ids index (built from the training split). */
  readonly vocabulary?: Vocabulary;
}

/** Length of one example in values. */
export function exampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
