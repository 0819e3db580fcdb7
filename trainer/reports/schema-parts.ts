import { z } from 'zod';
import { architectures, datasetNames, experimentSpecSchema, lossSchema } from '../spec/index.ts';

// The parts of report.json that versions 1 and 2 share (schema-v1.ts, schema.ts). A change here
// changes both: give the current version its own copy first, so stored v1 reports still parse.

const specShape = experimentSpecSchema.shape;
export const errorRate = z.number().min(0).max(1);
export const epoch = z.int().min(1);
export const count = z.int().min(0);

export const splitSchema = z.enum(['test', 'validation']);

export const groupErrorSchema = z.strictObject({ error: errorRate.nullable(), classes: count });

export const shotGroupsSchema = z.strictObject({
  many: groupErrorSchema,
  medium: groupErrorSchema,
  few: groupErrorSchema,
});

export const specSummarySchema = z.strictObject({
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

export const backendSchema = z.strictObject({ name: z.string().min(1), device: z.string().min(1) });

export const classesSchema = z
  .array(z.strictObject({ index: count, name: z.string(), trainCount: count }))
  .min(2);

/** The fields every version's report starts with (version, job, time, spec, backend, classes). */
export const reportHeaderShape = {
  jobId: z.string().min(1),
  createdAt: z.iso.datetime(),
  spec: specSummarySchema,
  backend: backendSchema,
  classes: classesSchema,
};

type Issue = (path: (string | number)[], message: string) => void;

interface ReportFrame {
  readonly spec: { readonly dataset: { readonly numClasses: number } };
  readonly classes: readonly { readonly index: number }[];
  readonly history: readonly { readonly epoch: number }[];
}

/** Cross-field rules both versions hold: K classes indexed 0..K−1, history epochs increasing. */
export function reportFrameIssues(report: ReportFrame, issue: Issue): void {
  const k = report.classes.length;
  if (report.spec.dataset.numClasses !== k)
    issue(['classes'], `expected ${report.spec.dataset.numClasses} classes`);
  report.classes.forEach((c, i) => {
    if (c.index !== i) issue(['classes', i, 'index'], `must be ${i}`);
  });
  report.history.forEach((h, i) => {
    const previous = report.history[i - 1];
    if (previous !== undefined && h.epoch <= previous.epoch)
      issue(['history', i, 'epoch'], 'must be increasing');
  });
}
