// The logits of an evaluation pass kept whole, so the trainer can store them for the post-hoc rows
// (run layout: runs/<jobId>/logits/). Bounded: a split of more than `maxValues` logits is not kept.
import type { ClassifierHead } from '../metrics/index.ts';
import type { SplitEvaluator, StartEvaluation } from './evaluate.ts';

/** One split's labels and row-major [N × K] logits, in the split's index order. */
export interface CapturedLogits {
  readonly numClasses: number;
  readonly labels: Int32Array;
  readonly logits: Float32Array;
}

/** An evaluated epoch's logits; a split is null when it exceeded the bound. */
export interface EpochLogits {
  readonly epoch: number;
  readonly test: CapturedLogits | null;
  readonly validation?: CapturedLogits | null;
  readonly head: ClassifierHead | null;
}

export class LogitCapture {
  private readonly labels: Int32Array | undefined;
  private readonly logits: Float32Array | undefined;
  private filled = 0;

  constructor(
    private readonly count: number,
    private readonly numClasses: number,
    maxValues: number,
  ) {
    if (count * numClasses > maxValues) return;
    this.labels = new Int32Array(count);
    this.logits = new Float32Array(count * numClasses);
  }

  /** Starts evaluations that also copy every batch into this capture. */
  wrap(start: StartEvaluation): StartEvaluation {
    return (): SplitEvaluator => {
      const evaluator = start();
      return {
        addLogits: (labels, logits) => {
          this.add(labels, logits);
          evaluator.addLogits(labels, logits);
        },
        finish: () => evaluator.finish(),
      };
    };
  }

  add(labels: Int32Array, logits: Float32Array): void {
    if (this.labels === undefined || this.logits === undefined) return;
    if (this.filled + labels.length > this.count)
      throw new RangeError(`more than the split's ${this.count} examples were evaluated`);
    this.labels.set(labels, this.filled);
    this.logits.set(logits, this.filled * this.numClasses);
    this.filled += labels.length;
  }

  /** The whole split, or null when it was over the bound. */
  result(): CapturedLogits | null {
    if (this.labels === undefined || this.logits === undefined) return null;
    if (this.filled !== this.count)
      throw new RangeError(`${this.filled} of ${this.count} examples evaluated`);
    return { numClasses: this.numClasses, labels: this.labels, logits: this.logits };
  }
}
