// The job-state reducer: folds a job's event log (every writer's records) into its lifecycle
// queued → starting → running → succeeded | failed | cancelled | timed_out, one pass per attempt.
// Pure functions only; the API's supervisor appends the events these functions decide on.
import { ExitCode } from '../process/exit-codes.ts';
import { currentMetricRecords } from './current-metrics.ts';
import { type JobEvent, type JobStatus, type StatusEvent, terminalStatuses } from './types.ts';

export interface JobTransition {
  readonly status: JobStatus;
  readonly time: string;
  readonly attempt: number;
  readonly reason?: string;
}

/** Where the current attempt's task runs, as the runner reported when it started it. */
export interface TaskInfo {
  readonly runner: string;
  readonly externalId?: string;
}

export interface JobState {
  readonly status: JobStatus;
  /** 1-based; 0 when the log is empty. */
  readonly attempt: number;
  readonly transitions: readonly JobTransition[];
  readonly failureReason?: string;
  readonly exitCode?: number;
  /** A cancel intent was recorded for the current attempt. */
  readonly cancelRequested: boolean;
  readonly terminal: boolean;
  readonly task?: TaskInfo;
  /** Highest epoch a standing metric record names (current-metrics.ts: a resume supersedes later epochs). */
  readonly lastEpoch: number;
  /** Per epoch, the time its last metric record landed (the epoch's completion time). */
  readonly epochTimes: ReadonlyMap<number, string>;
  /** The latest standing value of every metric key. */
  readonly latestMetrics: Readonly<Record<string, number | null>>;
}

// Within one attempt the lifecycle only moves forward; terminal states share the last rank.
const rank: Record<JobStatus, number> = {
  queued: 0,
  starting: 1,
  running: 2,
  succeeded: 3,
  failed: 3,
  cancelled: 3,
  timed_out: 3,
};

interface MutableState {
  status: JobStatus;
  attempt: number;
  transitions: JobTransition[];
  failureReason?: string;
  exitCode?: number;
  cancelRequested: boolean;
  task?: TaskInfo;
  lastEpoch: number;
  epochTimes: Map<number, string>;
  latestMetrics: Record<string, number | null>;
}

function applyStatus(state: MutableState, event: StatusEvent): void {
  if (event.attempt < state.attempt) return;
  if (event.attempt === state.attempt) {
    if (terminalStatuses.has(state.status) || rank[event.status] <= rank[state.status]) return;
  } else {
    state.attempt = event.attempt;
    state.cancelRequested = false;
    delete state.failureReason;
    delete state.exitCode;
    delete state.task;
  }
  state.status = event.status;
  state.transitions.push({
    status: event.status,
    time: event.time,
    attempt: event.attempt,
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
  });
  if (terminalStatuses.has(event.status)) {
    if (event.exitCode !== undefined) state.exitCode = event.exitCode;
    if (event.status !== 'succeeded' && event.reason !== undefined) state.failureReason = event.reason;
  }
}

function taskOf(data: Record<string, unknown> | undefined): TaskInfo | undefined {
  const task = data?.task;
  if (typeof task !== 'object' || task === null) return undefined;
  const { runner, externalId } = task as Record<string, unknown>;
  if (typeof runner !== 'string') return undefined;
  return typeof externalId === 'string' ? { runner, externalId } : { runner };
}

/** Folds events (log order per writer; writers may interleave in any order) into the job's state. */
export function reduceJobState(events: readonly JobEvent[]): JobState {
  const state: MutableState = {
    status: 'queued',
    attempt: 0,
    transitions: [],
    cancelRequested: false,
    lastEpoch: 0,
    epochTimes: new Map(),
    latestMetrics: {},
  };
  // Status records decide the attempt, so they go first; intents and notes then attach to it.
  for (const event of events) if (event.kind === 'status') applyStatus(state, event);
  for (const event of events) {
    if (event.kind === 'intent') {
      if (event.intent === 'cancel' && event.attempt === state.attempt) state.cancelRequested = true;
    } else if (event.kind === 'note') {
      const task = taskOf(event.data);
      if (task !== undefined && event.attempt === state.attempt) state.task = task;
    }
  }
  for (const event of currentMetricRecords(events)) {
    state.lastEpoch = Math.max(state.lastEpoch, event.epoch);
    const previous = state.epochTimes.get(event.epoch);
    if (previous === undefined || event.time > previous) state.epochTimes.set(event.epoch, event.time);
    state.latestMetrics[event.key] = event.value;
  }
  return { ...state, terminal: terminalStatuses.has(state.status) };
}

/** A status record to append, before the log assigns writer, seq and time. */
export type StatusRecord = Omit<StatusEvent, 'writer' | 'seq' | 'time'>;

/**
 * How a task ended, as its runner saw it; `lost` = the runner has no record of a started task,
 * `timed-out` = the runner's attempt limit stopped it, `reclaimed` = its host was taken away.
 */
export type TaskExit =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null }
  | { readonly kind: 'timed-out'; readonly detail: string }
  | { readonly kind: 'reclaimed'; readonly detail: string }
  | { readonly kind: 'lost'; readonly detail?: string };

const exitReasons: Partial<Record<number, string>> = {
  [ExitCode.failure]: 'trainer failed (exit 1)',
  [ExitCode.invalidSpec]: 'the trainer rejected the spec (exit 2)',
  [ExitCode.dataError]:
    'data error: dataset missing, corrupt, outside the allowed roots or a class left empty (exit 3)',
  [ExitCode.diverged]: 'diverged: the loss became NaN or infinite (exit 4)',
  [ExitCode.gpuUnavailable]:
    'no usable GPU: device, driver or CUDA libraries missing (exit 5; the log names which)',
  130: 'the trainer stopped on SIGINT without a checkpoint (exit 130)',
};

/**
 * The status record a task's end leads to, or undefined when the job already reached a terminal
 * state (e.g. the trainer wrote `succeeded`, or a timeout was recorded before the kill).
 */
export function exitOutcome(state: JobState, exit: TaskExit): StatusRecord | undefined {
  if (state.terminal || state.attempt === 0) return undefined;
  const attempt = state.attempt;
  const code = exit.kind === 'exited' ? exit.code : null;
  const withCode = code === null ? {} : { exitCode: code };
  if (state.cancelRequested)
    return { kind: 'status', status: 'cancelled', attempt, reason: 'cancelled on request', ...withCode };
  if (exit.kind === 'lost') {
    const detail = exit.detail ?? 'the runner has no record of it';
    return { kind: 'status', status: 'failed', attempt, reason: `trainer process lost: ${detail}` };
  }
  // Whatever the trainer's exit code (75 after its SIGTERM checkpoint), a timeout is final.
  if (exit.kind === 'timed-out') return { kind: 'status', status: 'timed_out', attempt, reason: exit.detail };
  if (exit.kind === 'reclaimed') {
    const reason = `${exit.detail}; resuming from the last checkpoint as attempt ${attempt + 1}`;
    return { kind: 'status', status: 'queued', attempt: attempt + 1, reason };
  }
  if (code === ExitCode.interrupted) {
    // Preempted after a checkpoint: not a failure; the next attempt resumes from the checkpoint.
    const reason = `interrupted after a checkpoint (exit 75); resuming as attempt ${attempt + 1}`;
    return { kind: 'status', status: 'queued', attempt: attempt + 1, reason, exitCode: code };
  }
  if (code === ExitCode.ok) return { kind: 'status', status: 'succeeded', attempt, exitCode: code };
  if (code === null)
    return {
      kind: 'status',
      status: 'failed',
      attempt,
      reason: `trainer process died (signal ${exit.signal ?? 'unknown'})`,
    };
  const reason = exitReasons[code] ?? `trainer exited with code ${code}`;
  return { kind: 'status', status: 'failed', attempt, reason, exitCode: code };
}

export interface TimeoutLimits {
  readonly queueTimeoutMinutes: number;
  readonly timeoutMinutes: number;
}

function sinceLast(state: JobState, status: JobStatus): string | undefined {
  return state.transitions.findLast((t) => t.attempt === state.attempt && t.status === status)?.time;
}

/** The `timed_out` record due at `now`, if the current attempt waited or ran past its limit. */
export function timeoutDue(state: JobState, limits: TimeoutLimits, now: Date): StatusRecord | undefined {
  if (state.terminal || state.attempt === 0) return undefined;
  const waiting = state.status === 'queued' || state.status === 'starting';
  const since = waiting ? sinceLast(state, 'queued') : sinceLast(state, 'running');
  if (since === undefined) return undefined;
  const minutes = waiting ? limits.queueTimeoutMinutes : limits.timeoutMinutes;
  if (now.getTime() - Date.parse(since) <= minutes * 60_000) return undefined;
  const reason = waiting
    ? `waited more than ${minutes} min (resources.queueTimeoutMinutes) to start`
    : `ran more than ${minutes} min (resources.timeoutMinutes)`;
  return { kind: 'status', status: 'timed_out', attempt: state.attempt, reason };
}
