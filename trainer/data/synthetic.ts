import { createRng, type RandomSource } from '../random/rng.ts';
import { numberedClassNames } from './class-names.ts';
import type { RawDataset, RawSplit } from './types.ts';
import { exampleSize } from './types.ts';

export interface SyntheticOptions {
  /** [features] or [height, width, channels]. */
  readonly shape: readonly number[];
  readonly numClasses: number;
  /** Distance between any two class means, in noise standard deviations. */
  readonly separation: number;
  readonly trainPerClass: number;
  readonly testPerClass: number;
  readonly seed: number;
}

/**
 * Class means at pairwise distance `separation`: orthonormal directions (Gram–Schmidt on Gaussian
 * draws) scaled by separation/√2. With more classes than dimensions the directions are only unit
 * vectors, so the distances are approximate.
 */
export function syntheticClassMeans(
  dimension: number,
  numClasses: number,
  separation: number,
  rng: RandomSource,
): Float64Array[] {
  const means: Float64Array[] = [];
  for (let k = 0; k < numClasses; k++) {
    const v = Float64Array.from({ length: dimension }, () => rng.normal());
    if (k < dimension)
      for (const u of means) {
        let dot = 0;
        for (let i = 0; i < dimension; i++) dot += (v[i] ?? 0) * (u[i] ?? 0);
        for (let i = 0; i < dimension; i++) v[i] = (v[i] ?? 0) - dot * (u[i] ?? 0);
      }
    const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0)) || 1;
    for (let i = 0; i < dimension; i++) v[i] = (v[i] ?? 0) / norm;
    means.push(v);
  }
  const scale = separation / Math.SQRT2;
  return means.map((u) => u.map((x) => x * scale));
}

function sample(
  means: readonly Float64Array[],
  perClass: number,
  dimension: number,
  rng: RandomSource,
): RawSplit {
  const count = means.length * perClass;
  const values = new Float32Array(count * dimension);
  const labels = new Int32Array(count);
  let n = 0;
  means.forEach((mean, label) => {
    for (let j = 0; j < perClass; j++, n++) {
      labels[n] = label;
      for (let i = 0; i < dimension; i++) values[n * dimension + i] = (mean[i] ?? 0) + rng.normal();
    }
  });
  return { values, labels, count };
}

/** Gaussian blobs with unit noise around seeded class means; balanced train and test sets. */
export function makeSyntheticDataset(options: SyntheticOptions): RawDataset {
  const dimension = exampleSize(options.shape);
  const rng = createRng(options.seed);
  const means = syntheticClassMeans(dimension, options.numClasses, options.separation, rng);
  return {
    train: sample(means, options.trainPerClass, dimension, rng),
    test: sample(means, options.testPerClass, dimension, rng),
    exampleShape: [...options.shape],
    classNames: numberedClassNames(options.numClasses),
  };
}
