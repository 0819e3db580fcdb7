import { parseReport, ReportValidationError } from '../../trainer/reports/parse.ts';
import type { Report } from '../../trainer/reports/schema.ts';
import { runKey } from '../../trainer/store/keys.ts';
import { type Store, StoreNotFoundError } from '../../trainer/store/store.ts';
import type { CellMetrics } from './aggregate.ts';

// Reads a cell job's report (runs/<jobId>/reports/report.json) into the numbers a benchmark shows.

/** What a finished cell's report says; `error` when it is missing or unusable. */
export interface CellArtifacts {
  readonly metrics?: CellMetrics;
  readonly backend?: { readonly name: string; readonly device: string };
  readonly error?: string;
}

export type ReadCellArtifacts = (jobId: string) => Promise<CellArtifacts>;

const percent = (fraction: number | null): number | null => (fraction === null ? null : fraction * 100);

/**
 * Errors in percent. Best = lowest test error over the epochs, as the paper reports it; the
 * validation-chosen epoch is its own column.
 */
export function cellMetricsOf(report: Report): CellMetrics {
  const tested = report.history.flatMap((h) =>
    h.test === null ? [] : [{ epoch: h.epoch, error: h.test.top1Error, top5: h.test.top5Error }],
  );
  const bestTest = tested.reduce<(typeof tested)[number] | undefined>(
    (best, h) => (best === undefined || h.error < best.error ? h : best),
    undefined,
  );
  const best = bestTest ?? {
    epoch: report.best.epoch,
    error: report.best.top1Error,
    top5: report.best.top5Error,
  };
  const { final } = report;
  const onValidation = report.best.chosenOn === 'validation' ? report.best : undefined;
  return {
    finalError: final.top1Error * 100,
    bestError: best.error * 100,
    bestEpoch: best.epoch,
    finalEpoch: final.epoch,
    balancedError: final.balancedError * 100,
    manyError: percent(final.groups.many.error),
    mediumError: percent(final.groups.medium.error),
    fewError: percent(final.groups.few.error),
    headError: percent(final.rankThirds.head.error),
    middleError: percent(final.rankThirds.middle.error),
    tailError: percent(final.rankThirds.tail.error),
    finalTop5Error: percent(final.top5Error),
    bestTop5Error: percent(best.top5),
    macroF1: percent(final.macroF1),
    ece: percent(final.calibration?.ece ?? null),
    validationBestError: percent(onValidation?.top1Error ?? null),
    validationBestEpoch: onValidation?.epoch ?? null,
    perClassError: final.perClassError.map(percent),
  };
}

export function reportKey(jobId: string): string {
  return runKey(jobId, 'reports', 'report.json');
}

/** The backend and device the trainer recorded in run.json, if it got that far. */
async function runBackend(store: Store, jobId: string): Promise<CellArtifacts['backend']> {
  try {
    const run: unknown = JSON.parse(new TextDecoder().decode(await store.get(runKey(jobId, 'run.json'))));
    if (typeof run !== 'object' || run === null) return undefined;
    const { backend, device } = run as Record<string, unknown>;
    return typeof backend === 'string' && typeof device === 'string' ? { name: backend, device } : undefined;
  } catch (error) {
    if (error instanceof StoreNotFoundError || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export function storeArtifactReader(store: Store): ReadCellArtifacts {
  return async (jobId) => {
    let text: string;
    try {
      text = new TextDecoder().decode(await store.get(reportKey(jobId)));
    } catch (error) {
      if (!(error instanceof StoreNotFoundError)) throw error;
      const backend = await runBackend(store, jobId);
      return { error: 'no report.json', ...(backend === undefined ? {} : { backend }) };
    }
    try {
      const report = parseReport(JSON.parse(text));
      return { metrics: cellMetricsOf(report), backend: report.backend };
    } catch (error) {
      if (error instanceof ReportValidationError || error instanceof SyntaxError)
        return { error: `unusable report.json: ${error.message}` };
      throw error;
    }
  };
}
