import { describe, expect, it } from 'vitest';
import { epochMetricEvents, metricKeys } from '../../../trainer/events/metrics.ts';
import type { EpochRecord } from '../../../trainer/loop/index.ts';

const record = (top5: number | null | undefined): EpochRecord => ({
  epoch: 3,
  step: 30,
  lr: 0.1,
  trainLoss: 0.5,
  lossWeighted: false,
  sampler: 'uniform',
  test: {
    top1Error: 0.4,
    ...(top5 === undefined ? {} : { top5Error: top5 }),
    balancedError: 0.45,
    perClassError: [],
  },
  validation: {
    top1Error: 0.3,
    ...(top5 === undefined ? {} : { top5Error: 0.1 }),
    balancedError: 0.35,
    perClassError: [],
  },
  seconds: 1,
});

describe('epochMetricEvents', () => {
  it('records top-5 beside top-1 on test and validation when the evaluation has it', () => {
    const events = epochMetricEvents(record(0.2));
    const value = (key: string) => events.find((e) => e.kind === 'metric' && e.key === key);
    expect(value(metricKeys.testTop5Error)).toMatchObject({ epoch: 3, step: 30, value: 0.2 });
    expect(value(metricKeys.validationTop5Error)).toMatchObject({ value: 0.1 });
    expect(metricKeys.testTop5Error).toBe('test_top5_error');
  });

  it('leaves top-5 out with ≤ 5 classes (null) and for records from older checkpoints (absent)', () => {
    for (const top5 of [null, undefined]) {
      const keys = epochMetricEvents(record(top5)).map((e) => (e.kind === 'metric' ? e.key : ''));
      expect(keys).toContain(metricKeys.testTop1Error);
      expect(keys).not.toContain(metricKeys.testTop5Error);
    }
  });
});
