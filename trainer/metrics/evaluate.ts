import { EvaluationAccumulator, type EvaluationOptions } from './accumulator.ts';
import type { Evaluation } from './summarise.ts';

export interface PredictionSet {
  /** True class per evaluated image. */
  readonly labels: Int32Array;
  /** Predicted class (arg-max) per evaluated image. */
  readonly predictions: Int32Array;
  readonly numClasses: number;
  /** Training images per class: decides the many/medium/few groups. */
  readonly trainCounts: readonly number[];
}

export interface LogitSet extends Omit<EvaluationOptions, 'numClasses'> {
  readonly labels: Int32Array;
  /** Row-major [labels.length × numClasses]. */
  readonly logits: Float32Array;
  readonly numClasses: number;
}

/** Every metric that hard predictions allow (top-5 and calibration are null). */
export function evaluatePredictions({
  labels,
  predictions,
  numClasses,
  trainCounts,
}: PredictionSet): Evaluation {
  const accumulator = new EvaluationAccumulator({ numClasses, trainCounts });
  accumulator.addPredictions(labels, predictions);
  return accumulator.finish();
}

/** Every metric of one evaluation pass from its logits, including top-5 and calibration. */
export function evaluateLogits({ labels, logits, ...options }: LogitSet): Evaluation {
  const accumulator = new EvaluationAccumulator(options);
  accumulator.addLogits(labels, logits);
  return accumulator.finish();
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
