import { meanOfPresent, type ShotGroups, shotGroupErrors } from './groups.ts';

export interface PredictionSet {
  /** True class per evaluated image. */
  readonly labels: Int32Array;
  /** Predicted class (arg-max) per evaluated image. */
  readonly predictions: Int32Array;
  readonly numClasses: number;
  /** Training images per class: decides the many/medium/few groups. */
  readonly trainCounts: readonly number[];
}

export interface Evaluation {
  /** Fraction of images misclassified. */
  readonly top1Error: number;
  /** Mean of the per-class errors (over classes that have evaluation images). */
  readonly balancedError: number;
  /** 1 − diag(confusion)/row sum; null for a class with no evaluation images. */
  readonly perClassError: (number | null)[];
  /** Evaluation images per class (confusion row sums). */
  readonly perClassCount: number[];
  readonly groups: ShotGroups;
  /** confusion[true class][predicted class] = images. */
  readonly confusion: number[][];
}

/** Top-1, balanced, per-class and many/medium/few errors of one evaluation pass. */
export function evaluatePredictions({
  labels,
  predictions,
  numClasses,
  trainCounts,
}: PredictionSet): Evaluation {
  if (labels.length !== predictions.length)
    throw new RangeError(`${labels.length} labels but ${predictions.length} predictions`);
  if (labels.length === 0) throw new RangeError('nothing to evaluate: no labels');
  if (trainCounts.length !== numClasses)
    throw new RangeError(`${trainCounts.length} train counts for ${numClasses} classes`);
  const confusion = confusionMatrix(labels, predictions, numClasses);
  const perClassCount = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const perClassError = confusion.map((row, c) => {
    const count = perClassCount[c] as number;
    return count === 0 ? null : 1 - (row[c] as number) / count;
  });
  const correct = confusion.reduce((sum, row, c) => sum + (row[c] as number), 0);
  return {
    top1Error: 1 - correct / labels.length,
    balancedError: meanOfPresent(perClassError) as number,
    perClassError,
    perClassCount,
    groups: shotGroupErrors(perClassError, trainCounts),
    confusion,
  };
}

/** confusion[y][ŷ]; throws on a class index outside 0..K−1. */
export function confusionMatrix(labels: Int32Array, predictions: Int32Array, numClasses: number): number[][] {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  labels.forEach((y, i) => {
    const yHat = predictions[i] as number;
    const row = confusion[y];
    if (row === undefined) throw new RangeError(`label ${y} of image ${i} is not a class of ${numClasses}`);
    if (!(yHat >= 0 && yHat < numClasses))
      throw new RangeError(`prediction ${yHat} of image ${i} is not a class of ${numClasses}`);
    row[yHat] = (row[yHat] as number) + 1;
  });
  return confusion;
}
