import { z } from 'zod';
import {
  count,
  epoch,
  errorRate,
  reportFrameIssues,
  reportHeaderShape,
  shotGroupsSchema,
  splitSchema,
} from './schema-parts.ts';

// Report version 1, kept so stored v1 reports still parse: parse.ts migrates them to the current
// version (migrate-v1.ts). Do not change; the current shape is schema.ts.

/** Metrics of one evaluation pass (see trainer/metrics `evaluatePredictions`), at a 1-based epoch. */
const evaluationSchema = z.strictObject({
  epoch,
  /** The split these numbers are measured on. */
  split: splitSchema,
  top1Error: errorRate,
  balancedError: errorRate,
  perClassError: z.array(errorRate.nullable()),
  perClassCount: z.array(count),
  groups: shotGroupsSchema,
  confusion: z.array(z.array(count)),
});

const bestEvaluationSchema = evaluationSchema.extend({
  /** Split the best epoch was selected on (the reference selects on test; prefer validation). */
  chosenOn: splitSchema,
});

const splitErrorsSchema = z.strictObject({ top1Error: errorRate, balancedError: errorRate });

const historyEntrySchema = z.strictObject({
  epoch,
  lr: z.number().min(0),
  /** Mean training loss of the epoch; null if it diverged (NaN). */
  trainLoss: z.number().nullable(),
  test: splitErrorsSchema.nullable(),
  validation: splitErrorsSchema.nullable(),
});

export const reportV1Schema = z
  .strictObject({
    reportVersion: z.literal(1),
    ...reportHeaderShape,
    final: evaluationSchema,
    best: bestEvaluationSchema,
    history: z.array(historyEntrySchema),
  })
  .superRefine((report, ctx) => {
    const k = report.classes.length;
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    reportFrameIssues(report, issue);
    for (const key of ['final', 'best'] as const) {
      const e = report[key];
      if (e.perClassError.length !== k) issue([key, 'perClassError'], `must have ${k} entries`);
      if (e.perClassCount.length !== k) issue([key, 'perClassCount'], `must have ${k} entries`);
      if (e.confusion.length !== k || e.confusion.some((row) => row.length !== k))
        issue([key, 'confusion'], `must be ${k}×${k}`);
      if (e.epoch > report.spec.epochs) issue([key, 'epoch'], 'must not exceed spec.epochs');
    }
  });

export type ReportV1 = z.infer<typeof reportV1Schema>;
