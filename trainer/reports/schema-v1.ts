import { z } from 'zod';
import { architectures, datasetNames, experimentSpecSchema, lossSchema } from '../spec/index.ts';

// Report version 1, kept so stored v1 reports still parse: parse.ts migrates them to the current
// version (migrate-v1.ts). Do not change; the current shape is schema.ts.

const specShape = experimentSpecSchema.shape;
const errorRate = z.number().min(0).max(1);
const epoch = z.int().min(1);
const count = z.int().min(0);

const splitSchema = z.enum(['test', 'validation']);

const groupErrorSchema = z.strictObject({ error: errorRate.nullable(), classes: count });

/** Metrics of one evaluation pass (see trainer/metrics `evaluatePredictions`), at a 1-based epoch. */
const evaluationSchema = z.strictObject({
  epoch,
  /** The split these numbers are measured on. */
  split: splitSchema,
  top1Error: errorRate,
  balancedError: errorRate,
  perClassError: z.array(errorRate.nullable()),
  perClassCount: z.array(count),
  groups: z.strictObject({ many: groupErrorSchema, medium: groupErrorSchema, few: groupErrorSchema }),
  confusion: z.array(z.array(count)),
});

const bestEvaluationSchema = evaluationSchema.extend({
  /** Split the best epoch was selected on (the reference selects on test; prefer validation). */
  chosenOn: splitSchema,
});

const specSummarySchema = z.strictObject({
  dataset: z.strictObject({
    name: z.enum(datasetNames),
    numClasses: z.int().min(2),
    imbalance: specShape.dataset.shape.imbalance.unwrap(),
  }),
  model: z.strictObject({ arch: z.enum(architectures), classifier: z.enum(['linear', 'cosine']) }),
  loss: lossSchema,
  rebalance: specShape.rebalance
    .unwrap()
    .omit({ afterEpoch: true })
    .extend({ afterEpoch: z.int().min(0).nullable() }),
  epochs: epoch,
  seed: count,
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
    jobId: z.string().min(1),
    createdAt: z.iso.datetime(),
    spec: specSummarySchema,
    backend: z.strictObject({ name: z.string().min(1), device: z.string().min(1) }),
    classes: z.array(z.strictObject({ index: count, name: z.string(), trainCount: count })).min(2),
    final: evaluationSchema,
    best: bestEvaluationSchema,
    history: z.array(historyEntrySchema),
  })
  .superRefine((report, ctx) => {
    const k = report.classes.length;
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    if (report.spec.dataset.numClasses !== k)
      issue(['classes'], `expected ${report.spec.dataset.numClasses} classes`);
    report.classes.forEach((c, i) => {
      if (c.index !== i) issue(['classes', i, 'index'], `must be ${i}`);
    });
    for (const key of ['final', 'best'] as const) {
      const e = report[key];
      if (e.perClassError.length !== k) issue([key, 'perClassError'], `must have ${k} entries`);
      if (e.perClassCount.length !== k) issue([key, 'perClassCount'], `must have ${k} entries`);
      if (e.confusion.length !== k || e.confusion.some((row) => row.length !== k))
        issue([key, 'confusion'], `must be ${k}×${k}`);
      if (e.epoch > report.spec.epochs) issue([key, 'epoch'], 'must not exceed spec.epochs');
    }
    report.history.forEach((h, i) => {
      const previous = report.history[i - 1];
      if (previous !== undefined && h.epoch <= previous.epoch)
        issue(['history', i, 'epoch'], 'must be increasing');
    });
  });

export type ReportV1 = z.infer<typeof reportV1Schema>;
