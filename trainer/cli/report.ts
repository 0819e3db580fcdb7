import type { FinalScores, SplitScore, TrainerState } from '../loop/index.ts';
import type { Evaluation } from '../metrics/index.ts';
import { confusionChartSpec } from '../reports/charts/confusion.ts';
import { reliabilityChartSpec } from '../reports/charts/reliability.ts';
import { renderChartSvg } from '../reports/charts/render-svg.ts';
import {
  currentReportVersion,
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
  return { epoch, split: 'test' as const, ...evaluation };
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
  const bestOnTest = state.bestOnTest ?? (best.selectedOn === 'test' ? best : undefined);
  const errors = (s: SplitScore | undefined) =>
    s === undefined
      ? null
      : { top1Error: s.top1Error, top5Error: s.top5Error ?? null, balancedError: s.balancedError };
  return parseReport({
    reportVersion: currentReportVersion,
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
    bestOnTest: bestOnTest === undefined ? null : evaluationSummary(bestOnTest.epoch, bestOnTest.test),
    posthoc: [],
    history: state.history.map((r) => ({
      epoch: r.epoch,
      lr: r.lr,
      trainLoss: Number.isFinite(r.trainLoss) ? r.trainLoss : null,
      test: errors(r.test),
      validation: errors(r.validation),
    })),
  });
}

/** The report files under runs/<jobId>/reports/, by name (reliability.svg only with calibration data). */
export async function renderReportFiles(
  report: Report,
): Promise<Record<string, { body: string; contentType: string }>> {
  const svg = 'image/svg+xml';
  const reliability = reliabilityChartSpec(report);
  return {
    'report.json': { body: `${JSON.stringify(report, null, 2)}\n`, contentType: 'application/json' },
    'per-class.csv': { body: reportToCsv(report), contentType: 'text/csv' },
    'per-class.svg': { body: reportToSvg(report), contentType: svg },
    'confusion.svg': { body: await renderChartSvg(confusionChartSpec(report)), contentType: svg },
    ...(reliability === null
      ? {}
      : { 'reliability.svg': { body: await renderChartSvg(reliability), contentType: svg } }),
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
