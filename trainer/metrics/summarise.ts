import type { Calibration } from './calibration.ts';
import { meanOfPresent, type ShotGroups, shotGroupErrors } from './groups.ts';
import { type RankThirds, rankThirdErrors } from './rank-thirds.ts';

/** An off-diagonal cell of the confusion matrix. */
export interface ConfusionPair {
  readonly trueClass: number;
  readonly predicted: number;
  readonly count: number;
}

export interface Evaluation {
  /** Fraction of images misclassified. */
  readonly top1Error: number;
  /** Fraction whose true class is not among the 5 largest logits; null with ≤ 5 classes or without logits. */
  readonly top5Error: number | null;
  /** Mean of the per-class errors (over classes that have evaluation images). */
  readonly balancedError: number;
  /** 1 − recall; null for a class with no evaluation images. */
  readonly perClassError: (number | null)[];
  /** Evaluation images per class (confusion row sums). */
  readonly perClassCount: number[];
  /** Correct / predicted as the class; null when nothing was predicted as it. */
  readonly perClassPrecision: (number | null)[];
  /** Correct / images of the class; null for a class with no evaluation images. */
  readonly perClassRecall: (number | null)[];
  /** 2PR/(P+R), 0 when the class has images but P or R is 0 or undefined; null without images. */
  readonly perClassF1: (number | null)[];
  /** Mean F1 over classes with evaluation images (scikit-learn's zero_division=0). */
  readonly macroF1: number;
  readonly groups: ShotGroups;
  readonly rankThirds: RankThirds;
  /** confusion[true class][predicted class] = images, up to the dense limit (~200 classes); else null. */
  readonly confusion: number[][] | null;
  /** The most frequent mistakes, most first (always present, dense or not). */
  readonly topConfusions: ConfusionPair[];
  /** Expected calibration error and reliability bins; null when only hard predictions were given. */
  readonly calibration: Calibration | null;
}

export interface ClassCounts {
  readonly perClass: Int32Array;
  readonly correct: Int32Array;
  readonly predicted: Int32Array;
}

export interface CountSummaryInput {
  readonly counts: ClassCounts;
  readonly trainCounts: readonly number[];
  readonly confusion: number[][] | undefined;
  /** Off-diagonal counts keyed by trueClass·K + predicted. */
  readonly pairs: ReadonlyMap<number, number>;
  readonly topConfusions: number;
  readonly top5Error: number | null;
  readonly calibration: Calibration | null;
}

/** Turns accumulated counts into every reported metric of one evaluation pass. */
export function summariseCounts(input: CountSummaryInput): Evaluation {
  const { perClass, correct, predicted } = input.counts;
  const k = perClass.length;
  const total = perClass.reduce((a, b) => a + b, 0);
  const correctTotal = correct.reduce((a, b) => a + b, 0);
  const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);
  const perClassRecall = Array.from(perClass, (n, c) => ratio(correct[c] as number, n));
  const perClassPrecision = Array.from(predicted, (n, c) => ratio(correct[c] as number, n));
  const perClassError = perClassRecall.map((r) => (r === null ? null : 1 - r));
  const perClassF1 = perClassRecall.map((r, c) => {
    if (r === null) return null;
    const p = perClassPrecision[c] ?? null;
    return p === null || p + r === 0 ? 0 : (2 * p * r) / (p + r);
  });
  return {
    top1Error: 1 - correctTotal / total,
    top5Error: input.top5Error,
    balancedError: meanOfPresent(perClassError) as number,
    perClassError,
    perClassCount: Array.from(perClass),
    perClassPrecision,
    perClassRecall,
    perClassF1,
    macroF1: meanOfPresent(perClassF1) as number,
    groups: shotGroupErrors(perClassError, input.trainCounts),
    rankThirds: rankThirdErrors(perClassError, input.trainCounts),
    confusion: input.confusion ?? null,
    topConfusions: topPairs(input.pairs, k, input.topConfusions),
    calibration: input.calibration,
  };
}

function topPairs(pairs: ReadonlyMap<number, number>, k: number, limit: number): ConfusionPair[] {
  return [...pairs]
    .map(([cell, count]) => ({ trueClass: Math.floor(cell / k), predicted: cell % k, count }))
    .sort((a, b) => b.count - a.count || a.trueClass - b.trueClass || a.predicted - b.predicted)
    .slice(0, limit);
}
