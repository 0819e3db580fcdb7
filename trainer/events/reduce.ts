// The job-state reducer: folds a job's event log (every writer's records) into its lifecycle
// queued → starting → running → succeeded | failed | cancelled | timed_out, one pass per attempt.
// Pure functions only; the API's supervisor appends the events these functions decide on.
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
