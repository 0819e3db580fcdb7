import type { CellState } from './aggregate.ts';
import type { CellJobView } from './ports.ts';
import type { CellRecord, CellsRecord } from './records.ts';

// A benchmark's progress, derived from its cell records and their jobs' states (nothing stored).

export type BenchmarkStatus = 'running' | 'completed' | 'cancelled';

export interface BenchmarkProgress {
  readonly status: BenchmarkStatus;
  readonly total: number;
  /** Not yet submitted. */
  readonly pending: number;
  /** Jobs queued, starting or running. */
  readonly running: number;
  readonly succeeded: number;
  /** Failed, timed out, or could not be submitted. */
  readonly failed: number;
  readonly cancelled: number;
}

/** A cell's state from its record and, once submitted, its job's view. */
export function cellStateOf(
  cell: CellRecord,
  view: CellJobView | undefined,
  benchmarkCancelled: boolean,
): CellState {
  if (cell.submitError !== undefined) return 'not_submitted';
  if (cell.jobId === null) return benchmarkCancelled ? 'cancelled' : 'pending';
  return view?.status ?? 'queued';
}

export function isActiveState(state: CellState): boolean {
  return state === 'queued' || state === 'starting' || state === 'running';
}

export function progressOf(record: CellsRecord, views: ReadonlyMap<string, CellJobView>): BenchmarkProgress {
  const cancelled = record.cancelledAt !== undefined;
  const states = record.cells.map((c) =>
    cellStateOf(c, c.jobId === null ? undefined : views.get(c.jobId), cancelled),
  );
  const count = (test: (s: CellState) => boolean) => states.filter(test).length;
  const pending = count((s) => s === 'pending');
  const running = count(isActiveState);
  const status: BenchmarkStatus = pending + running > 0 ? 'running' : cancelled ? 'cancelled' : 'completed';
  return {
    status,
    total: states.length,
    pending,
    running,
    succeeded: count((s) => s === 'succeeded'),
    failed: count((s) => s === 'failed' || s === 'timed_out' || s === 'not_submitted'),
    cancelled: count((s) => s === 'cancelled'),
  };
}
