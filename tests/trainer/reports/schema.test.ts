import { describe, expect, it } from 'vitest';
import { parseReport, ReportValidationError, reportSchema } from '../../../trainer/reports/index.ts';
import { reportFor } from '../../functions/benchmarks/fixtures.ts';
import { sampleReport } from './sample-report.ts';

function issuesOf(input: unknown): string[] {
  try {
    parseReport(input);
  } catch (error) {
    if (error instanceof ReportValidationError) return error.issues.map((i) => `${i.path}: ${i.rule}`);
    throw error;
  }
  throw new Error('expected the report to be rejected');
}

describe('report schema', () => {
  it('round-trips through JSON unchanged', () => {
    const report = parseReport(sampleReport());
    expect(parseReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report.spec.loss).toEqual({ type: 'ldam', maxMargin: 0.5, scale: 30 });
    expect(report.spec.rebalance).toEqual({
      rule: 'drw',
      weighting: 'class-balanced',
      beta: 0.9999,
      afterEpoch: 8,
    });
    expect(report.spec.model.classifier).toBe('cosine');
  });

  it('is versioned and rejects unknown fields', () => {
    expect(issuesOf({ ...sampleReport(), reportVersion: 3 })[0]).toMatch(/^reportVersion/);
    expect(issuesOf({ ...sampleReport(), extra: 1 })).toContain(': unknown field(s): extra');
  });

  it('checks per-class arrays and the confusion matrix against the class list', () => {
    const report = sampleReport();
    const broken = {
      ...report,
      final: { ...report.final, perClassError: report.final.perClassError.slice(1), confusion: [[1]] },
    };
    const issues = issuesOf(broken);
    expect(issues).toContain('final.perClassError: must have 10 entries');
    expect(issues).toContain('final.confusion: must be 10×10');
  });

  it('requires 1-based epochs within the run and increasing history', () => {
    const report = sampleReport();
    expect(issuesOf({ ...report, best: { ...report.best, epoch: 0 } })[0]).toMatch(/^best\.epoch/);
    expect(issuesOf({ ...report, final: { ...report.final, epoch: 11 } })).toContain(
      'final.epoch: must not exceed spec.epochs',
    );
    const history = [...report.history];
    history.reverse();
    expect(issuesOf({ ...report, history })).toContain('history.1.epoch: must be increasing');
  });

  it('says where best was chosen and rejects an unknown split', () => {
    const report = sampleReport();
    expect(reportSchema.safeParse({ ...report, best: { ...report.best, chosenOn: 'train' } }).success).toBe(
      false,
    );
  });

  it('reads a version-1 report as version 2, deriving what the stored confusion matrix allows', () => {
    const v1 = reportFor('job-v1', [0.1, 0.2, 0.5], [0.6, 0.4, 0.3]);
    v1.final.confusion = [
      [9, 1, 0],
      [1, 8, 1],
      [0, 5, 5],
    ];
    v1.final.perClassError = [0.1, 0.2, 0.5];
    const report = parseReport(JSON.parse(JSON.stringify(v1)));
    expect(report.reportVersion).toBe(2);
    expect(report.final.perClassError).toEqual([0.1, 0.2, 0.5]);
    expect(report.final.perClassPrecision[1]).toBeCloseTo(8 / 14, 12);
    expect(report.final.perClassF1[2]).toBeCloseTo((2 * (5 / 6) * 0.5) / (5 / 6 + 0.5), 12);
    expect(report.final.topConfusions[0]).toEqual({ trueClass: 2, predicted: 1, count: 5 });
    expect(report.final.top5Error).toBeNull();
    expect(report.final.calibration).toBeNull();
    expect(report.bestOnTest?.epoch).toBe(3);
    expect(report.history[0]?.test).toEqual({ top1Error: 0.6, top5Error: null, balancedError: 0.6 });
    expect(issuesOf({ ...v1, final: { ...v1.final, top5Error: 0.1 } })).toContain(
      'final: unknown field(s): top5Error',
    );
  });
});
