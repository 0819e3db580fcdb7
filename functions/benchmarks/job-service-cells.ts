import type { JobState } from '../../trainer/events/reduce.ts';
import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import {
  ActiveJobLimitReached,
  CostLimitExceeded,
  DomainError,
  InvalidInput,
  StateConflict,
} from '../errors.ts';
import { sha256Hex } from '../jobs/records.ts';
import type { Submission } from '../jobs/service.ts';
import { BenchmarkCostLimitExceeded, BenchmarkValidationError } from './errors.ts';
import type { CellJobs, CellJobView, CheckedCell } from './ports.ts';
import { runningSecondsOf } from './timing.ts';

// The job port over the API's own job system: a cell's typed spec is admitted like any POST /v1/jobs
// (same source policy, cost guard, per-key limit and idempotency) and watched through the supervisor.
// The same source policy and cost guard also run over every cell before the benchmark is stored, so
// a grid no job could run is refused at once; the per-cell check at submit stays as the backstop.

/** The parts of the API's JobService and Supervisor a benchmark uses. */
export interface JobSystem {
  readonly jobs: {
    submit(owner: string, submission: Submission): Promise<{ readonly job: { readonly id: string } }>;
    /** InvalidInput when the dataset's source is refused, or a container runner's bucket lacks it. */
    checkDataset(spec: ExperimentSpec): Promise<void>;
    /** CostLimitExceeded when the spec is over the cost guard. */
    checkCost(spec: ExperimentSpec): void;
  };
  readonly supervisor: {
    reconcile(jobId: string): Promise<JobState>;
    cancel(jobId: string): Promise<JobState>;
  };
  /** Owner of cells of benchmarks created without an API key (the API's `localOwner`). */
  readonly defaultOwner: string;
  readonly clock: () => Date;
}

export function viewOfJobState(state: JobState, now: Date): CellJobView {
  return {
    status: state.status,
    ...(state.failureReason === undefined ? {} : { reason: state.failureReason }),
    lastEpoch: state.lastEpoch,
    runningSeconds: runningSecondsOf(state.transitions, now),
  };
}

/** Each distinct dataset once (a realpath or a bucket look-up per source, not per cell), then the cost guard per cell. */
async function checkCells(jobs: JobSystem['jobs'], cells: readonly CheckedCell[]): Promise<void> {
  const firstByDataset = new Map<string, CheckedCell>();
  for (const cell of cells) {
    const key = JSON.stringify([cell.spec.dataset.name, cell.spec.dataset.source]);
    if (!firstByDataset.has(key)) firstByDataset.set(key, cell);
  }
  for (const cell of firstByDataset.values())
    try {
      await jobs.checkDataset(cell.spec);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      throw new BenchmarkValidationError(error.issues.map((issue) => ({ cell: cell.id, ...issue })));
    }
  const over: { cell: string; refusal: CostLimitExceeded }[] = [];
  for (const cell of cells)
    try {
      jobs.checkCost(cell.spec);
    } catch (error) {
      if (!(error instanceof CostLimitExceeded)) throw error;
      over.push({ cell: cell.id, refusal: error });
    }
  if (over.length > 0) throw new BenchmarkCostLimitExceeded(over, cells.length);
}

export function jobSystemCells(system: JobSystem): CellJobs {
  return {
    check: (cells) => checkCells(system.jobs, cells),
    async submit(spec, submission) {
      const owner = submission.owner ?? system.defaultOwner;
      const named = { ...spec, name: `benchmark ${submission.benchmarkId} cell ${submission.cellId}` };
      // The idempotency key makes a resubmission after a lost cells.json write return the same job.
      try {
        const { job } = await system.jobs.submit(owner, {
          spec: named,
          requestSha256: sha256Hex(JSON.stringify(named)),
          idempotencyKey: `benchmark:${submission.benchmarkId}:${submission.cellId}`,
        });
        return { kind: 'submitted', jobId: job.id };
      } catch (error) {
        if (error instanceof ActiveJobLimitReached) return { kind: 'retry-later', reason: error.message };
        // Invalid source, cost guard, a reused key: this cell will never be admitted.
        if (error instanceof DomainError) return { kind: 'rejected', reason: error.message };
        throw error;
      }
    },
    async view(jobId) {
      return viewOfJobState(await system.supervisor.reconcile(jobId), system.clock());
    },
    async cancel(jobId) {
      try {
        await system.supervisor.cancel(jobId);
      } catch (error) {
        // The job ended between the look and the cancel: nothing left to stop.
        if (!(error instanceof StateConflict)) throw error;
      }
    },
  };
}
