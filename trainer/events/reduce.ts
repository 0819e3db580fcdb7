// The job-state reducer: folds a job's event log (every writer's records) into its lifecycle
// queued → starting → running → succeeded | failed | cancelled | timed_out, in one pass over the
// events in log order, so a state can be folded further from where it stopped (snapshot.ts keeps
// one per job). Pure functions only; the API's supervisor appends the events they decide on.
import { currentMetricRecords, resumedAfterEpoch } from './current-metrics.ts';
import {
  type JobEvent,
  type JobStatus,
  type MetricEvent,
  type StatusEvent,
  terminalStatuses,
} from './types.ts';

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
  /** The epoch of each key's latest standing value (a resume before it supersedes the value). */
  readonly latestMetricEpochs: Readonly<Record<string, number>>;
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableState = Omit<
  Mutable<JobState>,
  'terminal' | 'transitions' | 'epochTimes' | 'latestMetrics' | 'latestMetricEpochs'
> & {
  transitions: JobTransition[];
  epochTimes: Map<number, string>;
  latestMetrics: Record<string, number | null>;
  latestMetricEpochs: Record<string, number>;
};

/** The state of an empty log: attempt 0, queued. */
export const emptyJobState: JobState = {
  status: 'queued',
  attempt: 0,
  transitions: [],
  cancelRequested: false,
  terminal: false,
  lastEpoch: 0,
  epochTimes: new Map(),
  latestMetrics: {},
  latestMetricEpochs: {},
};

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

/** Drops the epochs a resume re-runs; false when a latest value it supersedes cannot be restored here. */
function applyResume(state: MutableState, completedEpochs: number): boolean {
  for (const epoch of state.epochTimes.keys()) if (epoch > completedEpochs) state.epochTimes.delete(epoch);
  state.lastEpoch = Math.max(0, ...state.epochTimes.keys());
  return Object.values(state.latestMetricEpochs).every((epoch) => epoch <= completedEpochs);
}

function applyMetric(state: MutableState, event: MetricEvent): void {
  state.lastEpoch = Math.max(state.lastEpoch, event.epoch);
  const previous = state.epochTimes.get(event.epoch);
  if (previous === undefined || event.time > previous) state.epochTimes.set(event.epoch, event.time);
  state.latestMetrics[event.key] = event.value;
  state.latestMetricEpochs[event.key] = event.epoch;
}

/** Applies one event; false when it is a resume whose superseded metric values only a full replay knows. */
function apply(state: MutableState, event: JobEvent): boolean {
  switch (event.kind) {
    case 'status':
      applyStatus(state, event);
      return true;
    case 'intent':
      if (event.intent === 'cancel' && event.attempt === state.attempt) state.cancelRequested = true;
      return true;
    case 'note': {
      const task = taskOf(event.data);
      if (task !== undefined && event.attempt === state.attempt) state.task = task;
      const resumedAfter = resumedAfterEpoch(event);
      return resumedAfter === undefined || applyResume(state, resumedAfter);
    }
    case 'metric':
      applyMetric(state, event);
      return true;
  }
}

function mutableCopy(state: JobState): MutableState {
  const { terminal: _terminal, ...rest } = state;
  return {
    ...rest,
    transitions: [...state.transitions],
    epochTimes: new Map(state.epochTimes),
    latestMetrics: { ...state.latestMetrics },
    latestMetricEpochs: { ...state.latestMetricEpochs },
  };
}

const frozen = (state: MutableState): JobState => ({
  ...state,
  terminal: terminalStatuses.has(state.status),
});

/**
 * Folds events that follow everything `state` reflects (log order per writer). Undefined when a
 * resume among them supersedes a latest metric value of an epoch it re-runs: the value that stands
 * again is in the log only, so the caller replays it whole (once per resume, with reduceJobState).
 */
export function foldJobState(state: JobState, events: readonly JobEvent[]): JobState | undefined {
  const next = mutableCopy(state);
  for (const event of events) if (!apply(next, event)) return undefined;
  return frozen(next);
}

/** Folds a whole log (log order per writer; writers may interleave in any order) into the job's state. */
export function reduceJobState(events: readonly JobEvent[]): JobState {
  const state = mutableCopy(emptyJobState);
  for (const event of events) if (event.kind !== 'metric') apply(state, event);
  // The metric values that stand after every resume, in log order (current-metrics.ts).
  state.lastEpoch = 0;
  state.epochTimes = new Map();
  for (const event of currentMetricRecords(events)) applyMetric(state, event);
  return frozen(state);
}
