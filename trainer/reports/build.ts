// A finished run's report.json, built from the trainer's state and final evaluation.
import type { FinalScores, SplitScore, TrainerState } from '../loop/index.ts';
import type { Evaluation } from '../metrics/index.ts';
import type { ResolvedExperiment } from '../spec/index.ts';
import { parseReport } from './parse.ts';
import { posthocRows } from './posthoc-rows.ts';
import { currentReportVersion, type PosthocRow, type Report } from './schema.ts';
import { summarizeSpec } from './summary.ts';

export interface ReportContext {
  readonly jobId: string;
  readonly resolved: ResolvedExperiment;
  readonly backend: { readonly name: string; readonly device: string };
  readonly classNames: readonly string[];
  readonly classCounts: readonly number[];
  readonly state: TrainerState;
  readonly final: FinalScores;
  /** Scored from the stored logits (posthoc-artifacts.ts); absent, every row says it was not scored. */
  readonly posthoc?: readonly PosthocRow[];
  readonly now?: Date;
}

const notScored = 'the report was built without the stored logits';

function evaluationSummary(epoch: number, evaluation: Evaluation) {
  const { adjusted: _adjusted, ...summary } = evaluation;
  return { epoch, split: 'test' as const, ...summary };
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
    posthoc:
      context.posthoc ??
      posthocRows(
        {
          final: { epoch: final.epoch, unscored: notScored },
          best: { epoch: best.epoch, unscored: notScored },
        },
        context.resolved.classifier,
      ),
    history: state.history.map((r) => ({
      epoch: r.epoch,
      lr: r.lr,
      trainLoss: Number.isFinite(r.trainLoss) ? r.trainLoss : null,
      test: errors(r.test),
      validation: errors(r.validation),
    })),
  });
}
