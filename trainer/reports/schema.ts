import { z } from 'zod';
import {
  count,
  epoch,
  errorRate,
  type groupErrorSchema,
  reportFrameIssues,
  reportHeaderShape,
  shotGroupsSchema,
  type specSummarySchema,
  splitSchema,
} from './schema-parts.ts';

// The per-class error report of one job (report.json), version 2: the one report schema every
// producer and consumer reads (docs/DECISIONS.md). Field enums come from the experiment spec's
// schema so the two cannot drift apart. v1 reports are migrated on parse (migrate-v1.ts).

export const currentReportVersion = 2;

const fraction = z.number().min(0).max(1);
export const rankThirdSchema = z.strictObject({
  error: errorRate.nullable(),
  classes: count,
  minTrainCount: count,
  maxTrainCount: count,
});

/** Head, middle and tail thirds of the classes ranked by training images (never empty for K ≥ 3). */
export const rankThirdsSchema = z.strictObject({
  head: rankThirdSchema,
  middle: rankThirdSchema,
  tail: rankThirdSchema,
});

export const reliabilityBinSchema = z.strictObject({
  lower: fraction,
  upper: fraction,
  count,
  confidence: fraction.nullable(),
  accuracy: fraction.nullable(),
});

export const calibrationSchema = z.strictObject({
  bins: z.int().min(1),
  /** Expected calibration error over equal-width confidence bins (Guo et al. 2017). */
  ece: fraction,
  /** The logits were multiplied by this before the softmax (LDAM's s). */
  logitScale: z.number().gt(0),
  reliability: z.array(reliabilityBinSchema),
});

export const confusionPairSchema = z.strictObject({ trueClass: count, predicted: count, count });

/** Metrics of one evaluation pass (trainer/metrics' EvaluationAccumulator), at a 1-based epoch. */
export const evaluationSchema = z.strictObject({
  epoch,
  /** The split these numbers are measured on. */
  split: splitSchema,
  top1Error: errorRate,
  /** Null with ≤ 5 classes, or for a migrated v1 report. */
  top5Error: errorRate.nullable(),
  balancedError: errorRate,
  perClassError: z.array(errorRate.nullable()),
  perClassCount: z.array(count),
  perClassPrecision: z.array(fraction.nullable()),
  perClassRecall: z.array(fraction.nullable()),
  perClassF1: z.array(fraction.nullable()),
  macroF1: fraction,
  groups: shotGroupsSchema,
  rankThirds: rankThirdsSchema,
  /** K×K, [true][predicted]; null above the dense limit (~200 classes): see topConfusions. */
  confusion: z.array(z.array(count)).nullable(),
  topConfusions: z.array(confusionPairSchema),
  /** Null for a migrated v1 report (no logits were kept). */
  calibration: calibrationSchema.nullable(),
});

export const bestEvaluationSchema = evaluationSchema.extend({
  /** Split the best epoch was selected on: validation when there is one, else test. */
  chosenOn: splitSchema,
});

/** Scores of one split after a post-hoc adjustment of the logits. */
export const adjustedScoresSchema = z.strictObject({
  top1Error: errorRate,
  top5Error: errorRate.nullable(),
  balancedError: errorRate,
  perClassError: z.array(errorRate.nullable()),
  groups: shotGroupsSchema,
  rankThirds: rankThirdsSchema,
});

export const posthocMethods = ['posthoc-la', 'tau-norm'] as const;

/** A post-hoc row: the trained model's logits adjusted at evaluation, no re-training. */
export const posthocRowSchema = z.strictObject({
  method: z.enum(posthocMethods),
  /** Which evaluated epoch's logits: the final one, or the best (chosen as `best` is). */
  at: z.enum(['final', 'best']),
  epoch,
  /** τ used on test; null when the method does not apply. */
  tau: z.number().min(0).nullable(),
  /** Chosen on validation (lowest balanced error over the sweep) or fixed (no validation split). */
  tauChosenOn: z.enum(['validation', 'fixed']),
  /** False (with the reason) where the adjustment is undefined, e.g. τ-norm on a cosine head. */
  applicable: z.boolean(),
  reason: z.string().nullable(),
  test: adjustedScoresSchema.nullable(),
  validation: adjustedScoresSchema.nullable(),
});

const splitErrorsSchema = z.strictObject({
  top1Error: errorRate,
  top5Error: errorRate.nullable(),
  balancedError: errorRate,
});

export const historyEntrySchema = z.strictObject({
  epoch,
  lr: z.number().min(0),
  /** Mean training loss of the epoch; null if it diverged (NaN). */
  trainLoss: z.number().nullable(),
  test: splitErrorsSchema.nullable(),
  validation: splitErrorsSchema.nullable(),
});

export const reportSchema = z
  .strictObject({
    reportVersion: z.literal(currentReportVersion),
    ...reportHeaderShape,
    final: evaluationSchema,
    /** Chosen on validation when the job has a validation split, else on test. */
    best: bestEvaluationSchema,
    /** The epoch with the lowest test error: the paper's (and its reference code's) choice. */
    bestOnTest: evaluationSchema.nullable(),
    posthoc: z.array(posthocRowSchema),
    history: z.array(historyEntrySchema),
  })
  .superRefine((report, ctx) => {
    const k = report.classes.length;
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    reportFrameIssues(report, issue);
    const evaluations = [
      ['final', report.final],
      ['best', report.best],
      ['bestOnTest', report.bestOnTest],
    ] as const;
    for (const [key, e] of evaluations) {
      if (e === null) continue;
      for (const field of [
        'perClassError',
        'perClassCount',
        'perClassPrecision',
        'perClassRecall',
        'perClassF1',
      ] as const)
        if (e[field].length !== k) issue([key, field], `must have ${k} entries`);
      if (e.confusion !== null && (e.confusion.length !== k || e.confusion.some((row) => row.length !== k)))
        issue([key, 'confusion'], `must be ${k}×${k}`);
      e.topConfusions.forEach((p, i) => {
        if (p.trueClass >= k || p.predicted >= k)
          issue([key, 'topConfusions', i], `classes must be below ${k}`);
      });
      if (e.epoch > report.spec.epochs) issue([key, 'epoch'], 'must not exceed spec.epochs');
    }
    report.posthoc.forEach((row, i) => {
      for (const split of ['test', 'validation'] as const)
        if (row[split] !== null && row[split].perClassError.length !== k)
          issue(['posthoc', i, split, 'perClassError'], `must have ${k} entries`);
    });
  });

export type Split = z.infer<typeof splitSchema>;
export type GroupErrorSummary = z.infer<typeof groupErrorSchema>;
export type EvaluationSummary = z.infer<typeof evaluationSchema>;
export type BestEvaluationSummary = z.infer<typeof bestEvaluationSchema>;
export type AdjustedScores = z.infer<typeof adjustedScoresSchema>;
export type PosthocRow = z.infer<typeof posthocRowSchema>;
export type PosthocMethod = (typeof posthocMethods)[number];
export type SpecSummary = z.infer<typeof specSummarySchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type Report = z.infer<typeof reportSchema>;
/** What a writer hands in (the loss's defaults may be omitted). */
export type ReportInput = z.input<typeof reportSchema>;
