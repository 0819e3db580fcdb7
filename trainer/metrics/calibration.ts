/** One bin of a reliability diagram: confidences in (lower, upper] (the first bin includes 0). */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean top-1 confidence of the bin's images; null when the bin is empty. */
  readonly confidence: number | null;
  /** Fraction of the bin's images classified correctly; null when the bin is empty. */
  readonly accuracy: number | null;
}

export interface Calibration {
  readonly bins: number;
  /** Expected calibration error Σ_b (n_b / N)·|acc_b − conf_b| (Guo et al. 2017, eq. 3). */
  readonly ece: number;
  /** Factor the logits were multiplied by before the softmax (LDAM's s; 1 otherwise). */
  readonly logitScale: number;
  readonly reliability: ReliabilityBin[];
}

export const defaultCalibrationBins = 15;

/** Running sums of confidence and correctness per equal-width confidence bin. */
export class CalibrationBins {
  private readonly counts: Float64Array;
  private readonly confidenceSums: Float64Array;
  private readonly correctSums: Float64Array;

  constructor(readonly bins: number = defaultCalibrationBins) {
    if (!(Number.isInteger(bins) && bins >= 1))
      throw new RangeError(`bins must be a positive integer, got ${bins}`);
    this.counts = new Float64Array(bins);
    this.confidenceSums = new Float64Array(bins);
    this.correctSums = new Float64Array(bins);
  }

  add(confidence: number, correct: boolean): void {
    const bin = Math.min(this.bins - 1, Math.max(0, Math.ceil(confidence * this.bins) - 1));
    this.counts[bin] = (this.counts[bin] as number) + 1;
    this.confidenceSums[bin] = (this.confidenceSums[bin] as number) + confidence;
    if (correct) this.correctSums[bin] = (this.correctSums[bin] as number) + 1;
  }

  summary(logitScale: number): Calibration {
    const total = this.counts.reduce((a, b) => a + b, 0);
    let ece = 0;
    const reliability = Array.from({ length: this.bins }, (_, b): ReliabilityBin => {
      const count = this.counts[b] as number;
      const confidence = count === 0 ? null : (this.confidenceSums[b] as number) / count;
      const accuracy = count === 0 ? null : (this.correctSums[b] as number) / count;
      if (confidence !== null && accuracy !== null) ece += (count / total) * Math.abs(accuracy - confidence);
      return { lower: b / this.bins, upper: (b + 1) / this.bins, count, confidence, accuracy };
    });
    return { bins: this.bins, ece: total === 0 ? 0 : ece, logitScale, reliability };
  }
}

/** Largest softmax probability of one row of logits times `scale` (max-shifted for stability). */
export function topSoftmaxProbability(
  logits: Float32Array,
  offset: number,
  numClasses: number,
  scale: number,
): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < numClasses; j++) max = Math.max(max, (logits[offset + j] as number) * scale);
  let denominator = 0;
  for (let j = 0; j < numClasses; j++) denominator += Math.exp((logits[offset + j] as number) * scale - max);
  return 1 / denominator;
}
