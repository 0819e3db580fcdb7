import type { FinalScores, TrainerState } from '../loop/index.ts';
import type { Evaluation } from '../metrics/index.ts';
import {
  parseReport,
  type Report,
  reportToCsv,
  reportToMarkdown,
  reportToSvg,
  summarizeSpec,
} from '../reports/index.ts';
import type { ResolvedExperiment } from '../spec/index.ts';
import { runKey } from '../store/index.ts';
import type { Store } from '../store/store.ts';

export interface ReportContext {
  readonly jobId: string;
  readonly resolved: ResolvedExperiment;
  readonly backend: { readonly name: string; readonly device: string };
  readonly classNames: readonly string[];
  readonly classCounts: readonly number[];
  readonly state: TrainerState;
  readonly final: FinalScores;
  readonly now?: Date;
}

function evaluationSummary(epoch: number, evaluation: Evaluation) {
  const { top1Error, balancedError, perClassError, perClassCount, groups, confusion } = evaluation;
  return {
    epoch,
    split: 'test' as const,
    top1Error,
    balancedError,
    perClassError,
    perClassCount,
    groups,
    confusion,
  };
}

/** The job's report.json: final and best test evaluations, the per-epoch history (validated). */
export function buildReport(context: ReportContext): Report {
  const { state, final } = context;
  const best = state.best ?? {
    epoch: final.epoch,
    selectedOn: 'test' as const,
    balancedError: final.test.balancedError,
    test: final.test,
  };
  const errors = (s: { top1Error: number; balancedError: number } | undefined) =>
    s === undefined ? null : { top1Error: s.top1Error, balancedError: s.balancedError };
  return parseReport({
    reportVersion: 1,
    jobId: context.jobId,
    createdAt: (context.now ?? new Date()).toISOString(),
    spec: summarizeSpec(context.resolved),
    backend: context.backend,
    classes: context.classNames.map((name, index) => ({
      index,
      name,
      trainCount: context.classCounts[index] ?? 0,
    })),
    final: evaluationSummary(final.epoch, final.test),
    best: { ...evaluationSummary(best.epoch, best.test), chosenOn: best.selectedOn },
    history: state.history.map((r) => ({
      epoch: r.epoch,
      lr: r.lr,
      trainLoss: Number.isFinite(r.trainLoss) ? r.trainLoss : null,
      test: errors(r.test),
      validation: errors(r.validation),
    })),
  });
}

/** The report files under runs/<jobId>/reports/, by name. */
export async function renderReportFiles(
  report: Report,
): Promise<Record<string, { body: string; contentType: string }>> {
  return {
    'report.json': { body: `${JSON.stringify(report, null, 2)}\n`, contentType: 'application/json' },
    'per-class.csv': { body: reportToCsv(report), contentType: 'text/csv' },
    'per-class.svg': { body: await reportToSvg(report), contentType: 'image/svg+xml' },
    'report.md': { body: reportToMarkdown(report), contentType: 'text/markdown' },
  };
}

export async function writeReportFiles(store: Store, jobId: string, report: Report): Promise<string[]> {
  const files = await renderReportFiles(report);
  const keys: string[] = [];
  for (const [name, file] of Object.entries(files)) {
    const key = runKey(jobId, 'reports', name);
    await store.put(key, file.body, { contentType: file.contentType });
    keys.push(key);
  }
  return keys;
}
