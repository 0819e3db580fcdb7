import { rankThirdErrors } from '../metrics/rank-thirds.ts';
import { summariseCounts } from '../metrics/summarise.ts';
import { currentReportVersion, type ReportInput } from './schema.ts';
import type { ReportV1 } from './schema-v1.ts';

type EvaluationV1 = ReportV1['final'];

// A v1 evaluation kept the dense confusion matrix, so every v2 count metric (precision, recall,
// F1, rank thirds, top confusions) is recomputed from it; top-5 and calibration needed the logits
// and stay null.
function migrateEvaluation(e: EvaluationV1, trainCounts: readonly number[]) {
  const k = e.confusion.length;
  const perClass = new Int32Array(k);
  const correct = new Int32Array(k);
  const predicted = new Int32Array(k);
  const pairs = new Map<number, number>();
  e.confusion.forEach((row, y) => {
    row.forEach((n, yHat) => {
      perClass[y] = (perClass[y] as number) + n;
      predicted[yHat] = (predicted[yHat] as number) + n;
      if (y === yHat) correct[y] = n;
      else if (n > 0) pairs.set(y * k + yHat, n);
    });
  });
  const metrics = summariseCounts({
    counts: { perClass, correct, predicted },
    trainCounts,
    confusion: e.confusion,
    pairs,
    topConfusions: 20,
    top5Error: null,
    calibration: null,
  });
  // The stored v1 errors stay authoritative; only the fields v1 lacked are derived.
  return { ...metrics, ...e, rankThirds: rankThirdErrors(e.perClassError, trainCounts) };
}

/** A v1 report in the current shape (validate the result with parseReport). */
export function migrateReportV1(v1: ReportV1): ReportInput {
  const trainCounts = v1.classes.map((c) => c.trainCount);
  const { chosenOn, ...best } = v1.best;
  const splitErrors = (s: { top1Error: number; balancedError: number } | null) =>
    s === null ? null : { ...s, top5Error: null };
  return {
    ...v1,
    reportVersion: currentReportVersion,
    final: migrateEvaluation(v1.final, trainCounts),
    best: { ...migrateEvaluation(best, trainCounts), chosenOn },
    // v1 kept the full evaluation of one best epoch only: it is the best-on-test one when chosen on test.
    bestOnTest: chosenOn === 'test' ? migrateEvaluation(best, trainCounts) : null,
    posthoc: [],
    history: v1.history.map((h) => ({
      ...h,
      test: splitErrors(h.test),
      validation: splitErrors(h.validation),
    })),
  };
}
