import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../../trainer/loop/index.ts';
import { buildReport, renderReportFiles } from '../../../trainer/reports/index.ts';
import { parseExperimentSpec, resolveExperiment } from '../../../trainer/spec/index.ts';
import { disposeRun, makeRun, trainCounts } from '../loop/fixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const resolved = resolveExperiment(
  parseExperimentSpec({
    version: 1,
    dataset: { name: 'synthetic', numClasses: 3 },
    model: { arch: 'mlp' },
    loss: { type: 'ce' },
    schedule: { epochs: 3 },
  }),
);

describe('buildReport', () => {
  it('builds a valid report whose best epoch is chosen on validation when there is one', async () => {
    const run = makeRun({ epochs: 3, validation: true });
    const outcome = await runTraining(run);
    disposeRun(run);
    if (outcome.status !== 'completed') throw new Error('expected completion');
    const report = buildReport({
      jobId: 'job-r',
      resolved,
      backend: { name: 'cpu', device: 'cpu (js)' },
      classNames: ['a', 'b', 'c'],
      classCounts: [...trainCounts],
      state: outcome.state,
      final: outcome.final,
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(report.best.chosenOn).toBe('validation');
    const bestRecord = outcome.state.history.find((r) => r.epoch === report.best.epoch);
    const lowestValidation = Math.min(...outcome.state.history.map((r) => r.validation?.balancedError ?? 1));
    expect(bestRecord?.validation?.balancedError).toBe(lowestValidation);
    expect(report.best.balancedError).toBe(bestRecord?.test?.balancedError);
    expect(report.final).toMatchObject({
      epoch: 3,
      split: 'test',
      balancedError: outcome.final.test.balancedError,
    });
    expect(report.history.map((h) => h.validation === null)).toEqual([false, false, false]);
    expect(report.classes.map((c) => c.trainCount)).toEqual([80, 24, 8]);

    const lowestTest = Math.min(...outcome.state.history.map((r) => r.test?.balancedError ?? 1));
    expect(report.bestOnTest?.balancedError).toBe(lowestTest);
    expect(report.reportVersion).toBe(2);
    expect(report.final.calibration?.bins).toBe(15);

    const files = await renderReportFiles(report);
    expect(Object.keys(files).sort()).toEqual([
      'confusion.svg',
      'per-class.csv',
      'per-class.svg',
      'reliability.svg',
      'report.json',
      'report.md',
    ]);
    expect(files['reliability.svg']?.body).toMatch(/^<svg/);
    expect(files['confusion.svg']?.body).toContain('predicted class');
    expect(JSON.parse(files['report.json']?.body ?? '')).toEqual(report);
    expect(files['per-class.svg']?.body).toMatch(/^<svg/);
  });
});
