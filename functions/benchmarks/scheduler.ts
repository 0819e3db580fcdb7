import { terminalStatuses } from '../../trainer/events/types.ts';
import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import { KeyedMutex } from '../../trainer/store/keyed-mutex.ts';
import { type BenchmarkCell, type ExpandedBenchmark, expandBenchmark } from './expand.ts';
import type { CellJobs, CellJobView, SubmitOutcome } from './ports.ts';
import { cellStateOf, isActiveState } from './progress.ts';
import type { BenchmarkRecord, CellsRecord } from './records.ts';
import type { BenchmarkRepository } from './repository.ts';

// Moves a benchmark forward: looks at its cells' jobs and submits pending cells while fewer than
// `maxConcurrentCells` are queued or running. Idempotent; safe to call from a timer and from
// requests alike (one process holds the per-benchmark lock).

/** Refuses a caller the benchmark (its owner check) once its record is read; throws to refuse. */
export type RecordCheck = (record: BenchmarkRecord) => void;

/** Everything known about a benchmark after one step. */
export interface BenchmarkSnapshot {
  readonly record: BenchmarkRecord;
  readonly cells: CellsRecord;
  /** Job views by job id, for the cells that have a job. */
  readonly views: ReadonlyMap<string, CellJobView>;
  readonly expanded: ExpandedBenchmark;
}

export class BenchmarkScheduler {
  private readonly mutex = new KeyedMutex();
  private readonly expansions = new Map<string, ExpandedBenchmark>();

  constructor(
    private readonly repository: BenchmarkRepository,
    private readonly jobs: CellJobs,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Submits what may be submitted now and returns the benchmark's state. */
  advance(id: string, check?: RecordCheck): Promise<BenchmarkSnapshot> {
    return this.mutex.run(id, async () => {
      const record = await this.repository.get(id);
      check?.(record);
      const expanded = this.expansionOf(record);
      const stored = await this.repository.getCells(id);
      const views = await this.viewsOf(stored);
      let cells = withFinalViews(stored, views);
      let error: unknown;
      if (cells.cancelledAt === undefined) {
        const submitted = await this.submitPending(record, expanded, cells, views);
        cells = submitted.next;
        error = submitted.error;
      }
      // Cells submitted before an unexpected failure are saved first, so their jobs stay tracked.
      if (cells !== stored) await this.repository.saveCells(id, cells);
      if (error !== undefined) throw error;
      return { record, cells, views, expanded };
    });
  }

  /** Stops submitting cells and cancels every cell job still queued or running. */
  cancel(id: string, check?: RecordCheck): Promise<BenchmarkSnapshot> {
    return this.mutex.run(id, async () => {
      const record = await this.repository.get(id);
      check?.(record);
      let cells = await this.repository.getCells(id);
      if (cells.cancelledAt === undefined) {
        cells = { ...cells, cancelledAt: this.now().toISOString() };
        await this.repository.saveCells(id, cells);
      }
      const before = await this.viewsOf(cells);
      for (const cell of cells.cells) {
        const view = cell.jobId === null ? undefined : before.get(cell.jobId);
        if (cell.jobId !== null && view !== undefined && isActiveState(view.status))
          await this.jobs.cancel(cell.jobId);
      }
      // Views of the cells just cancelled are read again; the ones recorded ended are not.
      const views = await this.viewsOf(withFinalViews(cells, before));
      const final = withFinalViews(cells, views);
      if (final !== cells) await this.repository.saveCells(id, final);
      return { record, cells: final, views, expanded: this.expansionOf(record) };
    });
  }

  private expansionOf(record: BenchmarkRecord): ExpandedBenchmark {
    let expanded = this.expansions.get(record.id);
    if (expanded === undefined) {
      expanded = expandBenchmark(record.spec);
      this.expansions.set(record.id, expanded);
    }
    return expanded;
  }

  /** Each submitted cell's job view: an ended job's from its cell record, the others' from the job system. */
  private async viewsOf(cells: CellsRecord): Promise<Map<string, CellJobView>> {
    const views = new Map<string, CellJobView>();
    for (const cell of cells.cells) {
      if (cell.jobId === null) continue;
      views.set(cell.jobId, cell.final ?? (await this.jobs.view(cell.jobId)));
    }
    return views;
  }

  private async submitPending(
    record: BenchmarkRecord,
    expanded: ExpandedBenchmark,
    cells: CellsRecord,
    views: ReadonlyMap<string, CellJobView>,
  ): Promise<{ next: CellsRecord; error?: unknown }> {
    const states = cells.cells.map((c) =>
      cellStateOf(c, c.jobId === null ? undefined : views.get(c.jobId), false),
    );
    let free = record.spec.maxConcurrentCells - states.filter(isActiveState).length;
    let changed = false;
    const next = [...cells.cells];
    for (const [i, cell] of next.entries()) {
      if (free <= 0) break;
      if (states[i] !== 'pending') continue;
      const ready = readySpec(
        expanded.cells.find((c) => c.id === cell.id),
        cells,
        views,
      );
      if (ready.kind === 'waiting') continue;
      if (ready.kind === 'failed') {
        next[i] = { ...cell, submitError: ready.reason };
        changed = true;
        continue;
      }
      const { spec } = ready;
      const submission = {
        benchmarkId: record.id,
        cellId: cell.id,
        ...(record.owner === undefined ? {} : { owner: record.owner }),
      };
      let outcome: SubmitOutcome;
      try {
        outcome = await this.jobs.submit(spec, submission);
      } catch (error) {
        return { next: changed ? { ...cells, cells: next } : cells, error };
      }
      if (outcome.kind === 'retry-later') break;
      next[i] =
        outcome.kind === 'submitted'
          ? { ...cell, jobId: outcome.jobId, submittedAt: this.now().toISOString() }
          : { ...cell, submitError: outcome.reason };
      changed = true;
      if (outcome.kind === 'submitted') free -= 1;
    }
    return { next: changed ? { ...cells, cells: next } : cells };
  }
}

/** The cells with the view of each newly ended job recorded (the same object when none ended). */
export function withFinalViews(cells: CellsRecord, views: ReadonlyMap<string, CellJobView>): CellsRecord {
  let changed = false;
  const next = cells.cells.map((cell) => {
    const view = cell.jobId === null ? undefined : views.get(cell.jobId);
    if (cell.final !== undefined || view === undefined || !terminalStatuses.has(view.status)) return cell;
    changed = true;
    return { ...cell, final: view };
  });
  return changed ? { ...cells, cells: next } : cells;
}

type Readiness =
  | { readonly kind: 'ready'; readonly spec: ExperimentSpec }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * A cell's spec once it may be submitted: at once for a first stage; for a stage-2 cell when its
 * stage-1 cell's job has succeeded (its id becomes `stage2.fromJob`), failed for good when that
 * cell ended any other way, so the row shows why instead of waiting forever.
 */
export function readySpec(
  cell: BenchmarkCell | undefined,
  cells: CellsRecord,
  views: ReadonlyMap<string, CellJobView>,
): Readiness {
  if (cell === undefined) return { kind: 'failed', reason: 'the cell is not in the expanded grid' };
  if (cell.dependsOn === undefined) return { kind: 'ready', spec: cell.spec };
  const stage1 = cells.cells.find((c) => c.id === cell.dependsOn);
  if (stage1 === undefined) return { kind: 'failed', reason: `stage-1 cell ${cell.dependsOn} is missing` };
  if (stage1.submitError !== undefined)
    return { kind: 'failed', reason: `stage-1 cell ${stage1.id} was not submitted: ${stage1.submitError}` };
  const view = stage1.jobId === null ? undefined : views.get(stage1.jobId);
  if (stage1.jobId === null || view === undefined || !terminalStatuses.has(view.status))
    return { kind: 'waiting' };
  if (view.status !== 'succeeded')
    return {
      kind: 'failed',
      reason: `stage-1 cell ${stage1.id} ${view.status}${view.reason === undefined ? '' : `: ${view.reason}`}`,
    };
  return { kind: 'ready', spec: { ...cell.spec, stage2: { fromJob: stage1.jobId } } };
}
