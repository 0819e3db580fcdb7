// The metric records the trainer writes to the event log, and the keys that name them.

import type { EpochRecord } from '../loop/index.ts';
import type { Evaluation } from '../metrics/index.ts';
import type { NewEvent } from './writer.ts';

/** Metric keys the trainer records in the event log (one record per key and epoch). */
export const metricKeys = {
  trainLoss: 'train_loss',
  /** Running top-1 error on the imbalanced training data over the epoch's batches (loop/train-error.ts). */
  trainError: 'train_error',
  lr: 'lr',
  testTop1Error: 'test_top1_error',
  /** Only with more than 5 classes. */
  testTop5Error: 'test_top5_error',
  testBalancedError: 'test_balanced_error',
  validationTop1Error: 'val_top1_error',
  validationTop5Error: 'val_top5_error',
  validationBalancedError: 'val_balanced_error',
  /** Per-class test error at the end of training: `test_class_error/<class index>`. */
  testClassErrorPrefix: 'test_class_error/',
} as const;

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The metric records of one epoch. */
export function epochMetricEvents(record: EpochRecord): NewEvent[] {
  const metric = (key: string, value: number): NewEvent => ({
    kind: 'metric',
    epoch: record.epoch,
    step: record.step,
    key,
    value: finiteOrNull(value),
  });
  const optional = (key: string, value: number | null | undefined): NewEvent[] =>
    value === null || value === undefined ? [] : [metric(key, value)];
  return [
    metric(metricKeys.trainLoss, record.trainLoss),
    ...optional(metricKeys.trainError, record.trainError),
    metric(metricKeys.lr, record.lr),
    ...(record.test === undefined
      ? []
      : [
          metric(metricKeys.testTop1Error, record.test.top1Error),
          ...optional(metricKeys.testTop5Error, record.test.top5Error),
          metric(metricKeys.testBalancedError, record.test.balancedError),
        ]),
    ...(record.validation === undefined
      ? []
      : [
          metric(metricKeys.validationTop1Error, record.validation.top1Error),
          ...optional(metricKeys.validationTop5Error, record.validation.top5Error),
          metric(metricKeys.validationBalancedError, record.validation.balancedError),
        ]),
  ];
}

/** Per-class test errors of the final evaluation. */
export function perClassMetricEvents(epoch: number, step: number, test: Evaluation): NewEvent[] {
  return test.perClassError.map((error, c) => ({
    kind: 'metric',
    epoch,
    step,
    key: `${metricKeys.testClassErrorPrefix}${c}`,
    value: error,
  }));
}
