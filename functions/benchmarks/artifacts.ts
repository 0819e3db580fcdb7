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

/** Errors in percent. Best = lowest test error over the epochs, as the paper reports it. */
export function cellMetricsOf(report: Report): CellMetrics {
  const tested = report.history.flatMap((h) =>
    h.test === null ? [] : [{ epoch: h.epoch, error: h.test.top1Error }],
  );
  const bestTest = tested.reduce<{ epoch: number; error: number } | undefined>(
    (best, h) => (best === undefined || h.error < best.error ? h : best),
    undefined,
  );
  const best = bestTest ?? { epoch: report.best.epoch, error: report.best.top1Error };
  const { final } = report;
  return {
    finalError: final.top1Error * 100,
    bestError: best.error * 100,
    bestEpoch: best.epoch,
    finalEpoch: final.epoch,
    balancedError: final.balancedError * 100,
    manyError: percent(final.groups.many.error),
    mediumError: percent(final.groups.medium.error),
    fewError: percent(final.groups.few.error),
    perClassError: final.perClassError.map(percent),
  };
}

export function reportKey(jobId: string): string {
  return runKey(jobId, 'reports', 'report.json');
}

export function storeArtifactReader(store: Store): ReadCellArtifacts {
  return async (jobId) => {
    let text: string;
    try {
      text = new TextDecoder().decode(await store.get(reportKey(jobId)));
    } catch (error) {
      if (error instanceof StoreNotFoundError) return { error: 'no report.json' };
      throw error;
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
