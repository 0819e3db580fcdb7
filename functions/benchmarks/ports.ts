import type { JobStatus } from '../../trainer/events/types.ts';
import type { ExperimentSpec } from '../../trainer/spec/index.ts';

// What benchmarks need from the job system: cells run as ordinary jobs, created, watched and
// cancelled through this port. The API's composition root adapts its job service to it.

export type SubmitOutcome =
  | { readonly kind: 'submitted'; readonly jobId: string }
  /** Not now (per-key job limit, runner busy or unreachable): the cell stays pending. */
  | { readonly kind: 'retry-later'; readonly reason: string }
  /** Never (cost guard, rejected spec): the cell counts as failed with this reason. */
  | { readonly kind: 'rejected'; readonly reason: string };

export interface CellSubmission {
  readonly benchmarkId: string;
  readonly cellId: string;
  /** Owner of the benchmark's API key; its jobs belong to the same owner. */
  readonly owner?: string;
}

/** A cell's job as the benchmark sees it. */
export interface CellJobView {
  readonly status: JobStatus;
  readonly reason?: string;
  /** Highest epoch with a metric record (0 before the first). */
  readonly lastEpoch: number;
  /** Wall time in the running state over all attempts (timing.ts); null if it never ran. */
  readonly runningSeconds: number | null;
}

/** A cell as the submit-time check sees it. */
export interface CheckedCell {
  readonly id: string;
  readonly spec: ExperimentSpec;
}

export interface CellJobs {
  /**
   * Refuses, before the benchmark is stored, cells no job would ever admit (the source policy once
   * per distinct source, the cost guard per cell); absent = checked per cell at submit only.
   */
  check?(cells: readonly CheckedCell[]): Promise<void>;
  submit(spec: ExperimentSpec, submission: CellSubmission): Promise<SubmitOutcome>;
  view(jobId: string): Promise<CellJobView>;
  cancel(jobId: string): Promise<void>;
}
