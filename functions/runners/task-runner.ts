// The TaskRunner port: where a job's trainer process runs (a local child process, a Docker
// container, an AWS Batch job). The supervisor (jobs/supervisor.ts) drives every runner the same way.
import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import type { DeviceKind } from '../cost/throughput.ts';

export interface TaskRequest {
  readonly jobId: string;
  readonly attempt: number;
  readonly spec: ExperimentSpec;
}

/** Identifies a started task; `externalId` is the runner's own id when it has one (Batch job id). */
export interface TaskRef {
  readonly jobId: string;
  readonly attempt: number;
  readonly externalId?: string;
}

export type TaskStatus =
  | { readonly state: 'pending' }
  | { readonly state: 'starting' }
  | { readonly state: 'running' }
  | { readonly state: 'exited'; readonly code: number | null; readonly signal: string | null }
  /** The runner's own attempt limit ended the task (AWS Batch's attempt timeout): not retried. */
  | { readonly state: 'timed_out'; readonly detail: string }
  /** The host was taken away (spot reclaim): the next attempt resumes from the checkpoint. */
  | { readonly state: 'reclaimed'; readonly detail: string }
  /** The runner has no record of the task (never started here, removed, or its host vanished). */
  | { readonly state: 'unknown'; readonly detail?: string };

export interface StartedTask {
  /** Present when the runner needs it to find the task again (persisted as a task note). */
  readonly externalId?: string;
}

export type ExitListener = (ref: TaskRef, status: Extract<TaskStatus, { state: 'exited' }>) => void;
/** `started.externalId` is set when the runner learns the task's id only as it starts (a local pid). */
export type StartListener = (ref: TaskRef, started?: StartedTask) => void;

export interface TaskRunner {
  readonly kind: 'local' | 'docker' | 'aws-batch';
  /** What the trainer runs on, for the cost guard's throughput table. */
  readonly device: DeviceKind;
  /** The longest one attempt may run where the runner enforces its own limit (minutes); the supervisor uses the smaller of it and the spec's. */
  readonly maxAttemptMinutes?: number;
  start(task: TaskRequest): Promise<StartedTask>;
  /** Stops the task (graceful signal first); a task that already ended is not an error. */
  cancel(ref: TaskRef, reason: string): Promise<void>;
  status(ref: TaskRef): Promise<TaskStatus>;
  /** Push notification of exits where the runner can watch them; others are polled via status. */
  onExit?(listener: ExitListener): void;
  /** Push notification that a queued task's process started, where the runner queues tasks itself. */
  onStart?(listener: StartListener): void;
  /**
   * Makes sure a task this runner lost track of (e.g. started by a server that was killed) is no
   * longer running, so a new attempt never writes beside it. Where the runner cannot know, it
   * returns without a check.
   */
  ensureGone?(ref: TaskRef): Promise<void>;
  /** Stops accepting tasks and releases resources (the local runner interrupts its children). */
  close(): Promise<void>;
}
