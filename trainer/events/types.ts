// The job's append-only event log (runs/<jobId>/events/). Each writer ('api', 'trainer') has its
// own gap-free sequence starting at 1, so a reader's position is a map writer → last seq seen.

export const jobStatuses = [
  'queued',
  'starting',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const terminalStatuses: ReadonlySet<JobStatus> = new Set([
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
]);

export type WriterId = 'api' | 'trainer';

interface EventBase {
  readonly writer: WriterId;
  readonly seq: number;
  /** ISO-8601 time the event was recorded. */
  readonly time: string;
  /** Attempt the event belongs to (1-based). */
  readonly attempt: number;
}

export interface StatusEvent extends EventBase {
  readonly kind: 'status';
  readonly status: JobStatus;
  readonly reason?: string;
  readonly exitCode?: number;
}

/** A request recorded before acting on it, e.g. cancel before TerminateJob. */
export interface IntentEvent extends EventBase {
  readonly kind: 'intent';
  readonly intent: 'cancel' | 'retry';
}

/** A metric record: epoch counts from 1; step is the global optimisation step. */
export interface MetricEvent extends EventBase {
  readonly kind: 'metric';
  readonly epoch: number;
  readonly step: number;
  readonly key: string;
  readonly value: number | null;
}

/** Informational records (resumed from a checkpoint, backend chosen, …). */
export interface NoteEvent extends EventBase {
  readonly kind: 'note';
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

export type JobEvent = StatusEvent | IntentEvent | MetricEvent | NoteEvent;

/** A reader's position: the last seq seen of every writer (absent = none seen). */
export type LogPosition = Partial<Record<WriterId, number>>;
