import { CalibrationBins, defaultCalibrationBins, topSoftmaxProbability } from './calibration.ts';
import { type ClassCounts, type Evaluation, summariseCounts } from './summarise.ts';

export interface EvaluationOptions {
  readonly numClasses: number;
  /** Training images per class: decides the many/medium/few groups and the rank thirds. */
  readonly trainCounts: readonly number[];
  /** Keep the whole K×K confusion matrix up to this many classes (default 200); above, only the top confusions. */
  readonly denseConfusionMaxClasses?: number;
  /** Off-diagonal (true, predicted) pairs listed, most frequent first (default 20). */
  readonly topConfusions?: number;
  /** Equal-width confidence bins of the calibration error (default 15). */
  readonly calibrationBins?: number;
  /** Factor applied to the logits before the softmax for calibration (LDAM's s; default 1). */
  readonly logitScale?: number;
}

export const defaultDenseConfusionMaxClasses = 200;

/**
 * Accumulates one evaluation pass batch by batch, so a split is never held as an N×K logit matrix:
 * per-class counts, confusion (dense up to ~200 classes, sparse pairs above), top-5 hits and
 * calibration bins. `finish` turns the counts into an Evaluation.
 */
export class EvaluationAccumulator {
  private readonly k: number;
  private readonly counts: ClassCounts;
  private readonly dense: Int32Array | undefined;
  private readonly sparse = new Map<number, number>();
  private readonly calibration: CalibrationBins;
  private readonly logitScale: number;
  private top5Hits = 0;
  private images = 0;
  private hardPredictionsOnly = false;

  constructor(private readonly options: EvaluationOptions) {
    const k = options.numClasses;
    if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`numClasses must be an integer ≥ 2, got ${k}`);
    if (options.trainCounts.length !== k)
      throw new RangeError(`${options.trainCounts.length} train counts for ${k} classes`);
    this.k = k;
    this.counts = { perClass: new Int32Array(k), correct: new Int32Array(k), predicted: new Int32Array(k) };
    const denseMax = options.denseConfusionMaxClasses ?? defaultDenseConfusionMaxClasses;
    this.dense = k <= denseMax ? new Int32Array(k * k) : undefined;
    this.calibration = new CalibrationBins(options.calibrationBins ?? defaultCalibrationBins);
    this.logitScale = options.logitScale ?? 1;
  }

  /** Images with their predicted classes only: top-5 and calibration become unavailable (null). */
  addPredictions(labels: ArrayLike<number>, predictions: ArrayLike<number>): void {
    if (labels.length !== predictions.length)
      throw new RangeError(`${labels.length} labels but ${predictions.length} predictions`);
    this.hardPredictionsOnly = true;
    for (let i = 0; i < labels.length; i++)
      this.count(labels[i] as number, predictions[i] as number, this.images + i);
    this.images += labels.length;
  }

  /** Images with their logits, row-major [labels.length × K]. */
  addLogits(labels: ArrayLike<number>, logits: Float32Array): void {
    const k = this.k;
    if (logits.length !== labels.length * k)
      throw new RangeError(`${logits.length} logits for ${labels.length} images of ${k} classes`);
    for (let i = 0; i < labels.length; i++) {
      const y = labels[i] as number;
      const offset = i * k;
      let best = 0;
      let above = 0;
      const own = logits[offset + y] as number;
      for (let j = 0; j < k; j++) {
        const z = logits[offset + j] as number;
        if (z > (logits[offset + best] as number)) best = j;
        if (z > own) above += 1;
      }
      this.count(y, best, this.images + i);
      if (above < 5) this.top5Hits += 1;
      this.calibration.add(topSoftmaxProbability(logits, offset, k, this.logitScale), best === y);
    }
    this.images += labels.length;
  }

  finish(): Evaluation {
    const total = this.counts.perClass.reduce((a, b) => a + b, 0);
    if (total === 0) throw new RangeError('nothing to evaluate: no labels');
    const logitsSeen = !this.hardPredictionsOnly;
    return summariseCounts({
      counts: this.counts,
      trainCounts: this.options.trainCounts,
      confusion: this.dense === undefined ? undefined : denseRows(this.dense, this.k),
      pairs: this.dense === undefined ? this.sparse : sparseFromDense(this.dense, this.k),
      topConfusions: this.options.topConfusions ?? 20,
      top5Error: logitsSeen && this.k > 5 ? 1 - this.top5Hits / total : null,
      calibration: logitsSeen ? this.calibration.summary(this.logitScale) : null,
    });
  }

  private count(y: number, yHat: number, image: number): void {
    const k = this.k;
    if (!(Number.isInteger(y) && y >= 0 && y < k))
      throw new RangeError(`label ${y} of image ${image} is not a class of ${k}`);
    if (!(Number.isInteger(yHat) && yHat >= 0 && yHat < k))
      throw new RangeError(`prediction ${yHat} of image ${image} is not a class of ${k}`);
    const { perClass, correct, predicted } = this.counts;
    perClass[y] = (perClass[y] as number) + 1;
    predicted[yHat] = (predicted[yHat] as number) + 1;
    if (y === yHat) correct[y] = (correct[y] as number) + 1;
    if (this.dense !== undefined) this.dense[y * k + yHat] = (this.dense[y * k + yHat] as number) + 1;
    else if (y !== yHat) this.sparse.set(y * k + yHat, (this.sparse.get(y * k + yHat) ?? 0) + 1);
  }
}

function denseRows(dense: Int32Array, k: number): number[][] {
  return Array.from({ length: k }, (_, y) => Array.from(dense.subarray(y * k, (y + 1) * k)));
}

function sparseFromDense(dense: Int32Array, k: number): Map<number, number> {
  const pairs = new Map<number, number>();
  dense.forEach((n, cell) => {
    if (n > 0 && Math.floor(cell / k) !== cell % k) pairs.set(cell, n);
  });
  return pairs;
}
