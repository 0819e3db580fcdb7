import type { JobStatus } from '../../trainer/events/types.ts';
import { type CellCost, priceOf } from './cost.ts';
import type { MethodInfo } from './expand.ts';
import { paperError } from './reference.ts';
import { meanVector, type Summary, summarize } from './stats.ts';

/** A cell's state: its job's status, or `not_submitted` when creating the job failed. */
export type CellState = JobStatus | 'pending' | 'not_submitted';

/** What one finished cell measured; errors in percent on the balanced test set. */
export interface CellMetrics {
  readonly finalError: number;
  /** Lowest top-1 error over evaluated epochs (what the paper reports). */
  readonly bestError: number;
  readonly bestEpoch: number;
  readonly finalEpoch: number;
  readonly balancedError: number | null;
  readonly manyError: number | null;
  readonly mediumError: number | null;
  readonly fewError: number | null;
  /** Rank thirds by training images (head/middle/tail), final epoch. */
  readonly headError: number | null;
  readonly middleError: number | null;
  readonly tailError: number | null;
  /** Top-5 error, final epoch and at the best-on-test epoch; null with ≤ 5 classes or a v1 report. */
  readonly finalTop5Error: number | null;
  readonly bestTop5Error: number | null;
  /** Macro-F1 and expected calibration error (15 bins), final epoch, in percent. */
  readonly macroF1: number | null;
  readonly ece: number | null;
  /** Test top-1 error at the epoch chosen on validation (null without a validation split). */
  readonly validationBestError: number | null;
  readonly validationBestEpoch: number | null;
  /** Null for a class without evaluation images. */
  readonly perClassError: ReadonlyArray<number | null>;
}

export interface CellOutcome {
  readonly id: string;
  readonly method: string;
  readonly setting: number;
  readonly seed: number;
  readonly jobId: string | null;
  readonly state: CellState;
  /** Why a cell failed (job reason, missing report, submission error). */
  readonly reason?: string;
  readonly metrics?: CellMetrics;
  readonly cost?: CellCost;
}

/** A column of the results table; `paperColumn` when the paper reports this setting. */
export interface SettingColumn {
  readonly index: number;
  readonly label: string;
  readonly paperColumn?: string;
}

/** One table entry: a method in a setting, over its seeds. */
export interface GroupResult {
  readonly method: string;
  readonly setting: number;
  readonly counts: {
    readonly total: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly active: number;
  };
  readonly finalError: Summary | null;
  readonly bestError: Summary | null;
  readonly bestEpoch: Summary | null;
  readonly finalEpoch: Summary | null;
  readonly balancedError: Summary | null;
  readonly manyError: Summary | null;
  readonly mediumError: Summary | null;
  readonly fewError: Summary | null;
  readonly headError: Summary | null;
  readonly middleError: Summary | null;
  readonly tailError: Summary | null;
  readonly finalTop5Error: Summary | null;
  readonly bestTop5Error: Summary | null;
  readonly macroF1: Summary | null;
  readonly ece: Summary | null;
  readonly validationBestError: Summary | null;
  readonly perClassError: Array<number | null> | null;
  readonly deviceSeconds: number;
  readonly paperError?: number;
}

export interface BenchmarkTotals {
  readonly cells: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly active: number;
  readonly wallSeconds: number;
  readonly deviceSeconds: number;
  readonly cost?: number;
}

export interface BenchmarkResults {
  readonly benchmarkId: string;
  readonly name?: string;
  /** True once no cell is queued or running. */
  readonly complete: boolean;
  readonly methods: readonly MethodInfo[];
  readonly settings: readonly SettingColumn[];
  readonly groups: readonly GroupResult[];
  readonly cells: readonly CellOutcome[];
  readonly totals: BenchmarkTotals;
  readonly pricePerDeviceHour?: number;
}

const activeStates: ReadonlySet<CellState> = new Set(['pending', 'queued', 'starting', 'running']);

/** Whether a cell still counts as failed: any terminal state without metrics. */
export function isFailedCell(cell: CellOutcome): boolean {
  return !activeStates.has(cell.state) && cell.metrics === undefined;
}

export function aggregateResults(input: {
  readonly benchmarkId: string;
  readonly name?: string;
  readonly methods: readonly MethodInfo[];
  readonly settings: readonly SettingColumn[];
  readonly cells: readonly CellOutcome[];
  readonly pricePerDeviceHour?: number;
}): BenchmarkResults {
  const groups = input.methods.flatMap((method) =>
    input.settings.map((setting) => {
      const cells = input.cells.filter((c) => c.method === method.name && c.setting === setting.index);
      return groupOf(method, setting, cells);
    }),
  );
  const wallSeconds = sum(input.cells.map((c) => c.cost?.wallSeconds ?? 0));
  const deviceSeconds = sum(input.cells.map((c) => c.cost?.deviceSeconds ?? 0));
  const active = input.cells.filter((c) => activeStates.has(c.state)).length;
  const totals: BenchmarkTotals = {
    cells: input.cells.length,
    succeeded: input.cells.filter((c) => c.metrics !== undefined).length,
    failed: input.cells.filter(isFailedCell).length,
    active,
    wallSeconds,
    deviceSeconds,
    ...(input.pricePerDeviceHour === undefined
      ? {}
      : { cost: priceOf(deviceSeconds, input.pricePerDeviceHour) }),
  };
  return {
    benchmarkId: input.benchmarkId,
    ...(input.name === undefined ? {} : { name: input.name }),
    complete: active === 0,
    methods: input.methods,
    settings: input.settings,
    groups,
    cells: input.cells,
    totals,
    ...(input.pricePerDeviceHour === undefined ? {} : { pricePerDeviceHour: input.pricePerDeviceHour }),
  };
}

function groupOf(method: MethodInfo, setting: SettingColumn, cells: readonly CellOutcome[]): GroupResult {
  const measured = cells.flatMap((c) => (c.metrics === undefined ? [] : [c.metrics]));
  const pick = (f: (m: CellMetrics) => number | null) => summarize(measured.map(f));
  const paper =
    method.paperRow !== undefined && setting.paperColumn !== undefined
      ? paperError(method.paperRow, setting.paperColumn)
      : undefined;
  return {
    method: method.name,
    setting: setting.index,
    counts: {
      total: cells.length,
      succeeded: measured.length,
      failed: cells.filter(isFailedCell).length,
      active: cells.filter((c) => activeStates.has(c.state)).length,
    },
    finalError: pick((m) => m.finalError),
    bestError: pick((m) => m.bestError),
    bestEpoch: pick((m) => m.bestEpoch),
    finalEpoch: pick((m) => m.finalEpoch),
    balancedError: pick((m) => m.balancedError),
    manyError: pick((m) => m.manyError),
    mediumError: pick((m) => m.mediumError),
    fewError: pick((m) => m.fewError),
    headError: pick((m) => m.headError),
    middleError: pick((m) => m.middleError),
    tailError: pick((m) => m.tailError),
    finalTop5Error: pick((m) => m.finalTop5Error),
    bestTop5Error: pick((m) => m.bestTop5Error),
    macroF1: pick((m) => m.macroF1),
    ece: pick((m) => m.ece),
    validationBestError: pick((m) => m.validationBestError),
    perClassError: meanVector(measured.map((m) => m.perClassError)),
    deviceSeconds: sum(cells.map((c) => c.cost?.deviceSeconds ?? 0)),
    ...(paper === undefined ? {} : { paperError: paper }),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
