import { describe, expect, it } from 'vitest';
import {
  exitOutcome,
  type JobState,
  reduceJobState,
  type TaskExit,
  timeoutDue,
} from '../../../trainer/events/reduce.ts';
import type { JobEvent, JobStatus, WriterId } from '../../../trainer/events/types.ts';

// Builds a log: each writer's seq counts from 1; times are one second apart from a fixed origin.
type Entry = JobEvent extends infer E
  ? E extends JobEvent
    ? Omit<E, 'seq' | 'time' | 'writer'> & { writer?: WriterId }
    : never
  : never;
function log(...entries: Entry[]): JobEvent[] {
  const seqs: Record<WriterId, number> = { api: 0, trainer: 0 };
  return entries.map((entry, i) => {
    const writer = entry.writer ?? (entry.kind === 'metric' ? 'trainer' : 'api');
    seqs[writer] += 1;
    const time = new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString();
    return { ...entry, writer, seq: seqs[writer], time } as JobEvent;
  });
}
const status = (
  s: JobStatus,
  attempt = 1,
  extra: { reason?: string; exitCode?: number; writer?: WriterId } = {},
) => ({ kind: 'status', status: s, attempt, ...extra }) as const;
const cancelIntent = (attempt = 1) => ({ kind: 'intent', intent: 'cancel', attempt }) as const;

describe('reduceJobState', () => {
  const cases: { name: string; events: JobEvent[]; expected: Partial<JobState> & { path?: JobStatus[] } }[] =
    [
      {
        name: 'an empty log is attempt 0, queued',
        events: [],
        expected: { status: 'queued', attempt: 0, terminal: false },
      },
      {
        name: 'the happy path ends succeeded',
        events: log(
          status('queued'),
          status('starting'),
          status('running', 1, { writer: 'trainer' }),
          status('succeeded', 1, { writer: 'trainer' }),
        ),
        expected: {
          status: 'succeeded',
          attempt: 1,
          terminal: true,
          path: ['queued', 'starting', 'running', 'succeeded'],
        },
      },
      {
        name: 'a record moving backwards within an attempt is ignored (writers interleave)',
        events: log(status('queued'), status('running', 1, { writer: 'trainer' }), status('starting')),
        expected: { status: 'running', path: ['queued', 'running'] },
      },
      {
        name: 'the first terminal record of an attempt wins',
        events: log(
          status('queued'),
          status('running'),
          status('succeeded', 1, { writer: 'trainer' }),
          status('failed', 1, { reason: 'late' }),
        ),
        expected: { status: 'succeeded', path: ['queued', 'running', 'succeeded'] },
      },
      {
        name: 'a failure keeps its reason and exit code',
        events: log(
          status('queued'),
          status('running'),
          status('failed', 1, { reason: 'diverged', exitCode: 4 }),
        ),
        expected: { status: 'failed', failureReason: 'diverged', exitCode: 4, terminal: true },
      },
      {
        name: 'a new attempt resets the outcome and the cancel intent',
        events: log(
          status('queued'),
          status('running'),
          cancelIntent(1),
          status('cancelled', 1, { reason: 'x', exitCode: 130 }),
          status('queued', 2),
        ),
        expected: { status: 'queued', attempt: 2, cancelRequested: false, terminal: false },
      },
      {
        name: 'records of an older attempt are stale',
        events: log(
          status('queued'),
          status('queued', 2),
          status('running', 2),
          status('failed', 1, { reason: 'old' }),
        ),
        expected: { status: 'running', attempt: 2, path: ['queued', 'queued', 'running'] },
      },
      {
        name: 'a cancel intent of the current attempt is remembered',
        events: log(status('queued'), status('running'), cancelIntent(1)),
        expected: { cancelRequested: true, status: 'running' },
      },
    ];
  it.each(cases)('$name', ({ events, expected }) => {
    const { path, ...rest } = expected;
    const state = reduceJobState(events);
    expect(state).toMatchObject(rest);
    if (path !== undefined) expect(state.transitions.map((t) => t.status)).toEqual(path);
  });

  it('tracks epochs, their completion times and the latest metrics over attempts', () => {
    const state = reduceJobState(
      log(
        status('queued'),
        status('running'),
        { kind: 'metric', attempt: 1, epoch: 1, step: 10, key: 'train.loss', value: 2 },
        { kind: 'metric', attempt: 1, epoch: 1, step: 10, key: 'test.error', value: 0.5 },
        status('queued', 2, { exitCode: 75 }),
        status('running', 2),
        { kind: 'metric', attempt: 2, epoch: 2, step: 20, key: 'train.loss', value: 1 },
      ),
    );
    expect(state.lastEpoch).toBe(2);
    expect(state.latestMetrics).toEqual({ 'train.loss': 1, 'test.error': 0.5 });
    expect(state.epochTimes.get(1)).toBe('2025-01-01T00:00:03.000Z');
  });

  it('attaches the task note of the current attempt only', () => {
    const events = log(
      status('queued'),
      {
        kind: 'note',
        attempt: 1,
        message: 'task started',
        data: { task: { runner: 'aws-batch', externalId: 'b-1' } },
      },
      status('queued', 2),
    );
    expect(reduceJobState(events).task).toBeUndefined();
    expect(reduceJobState(events.slice(0, 2)).task).toEqual({ runner: 'aws-batch', externalId: 'b-1' });
  });
});

describe('exitOutcome', () => {
  const running = reduceJobState(log(status('queued'), status('starting'), status('running')));
  const cancelling = reduceJobState(log(status('queued'), status('running'), cancelIntent(1)));
  const exited = (code: number | null, signal: string | null = null): TaskExit => ({
    kind: 'exited',
    code,
    signal,
  });
  const cases: {
    name: string;
    state: JobState;
    exit: TaskExit;
    expected: Record<string, unknown> | undefined;
  }[] = [
    {
      name: 'exit 0 succeeds',
      state: running,
      exit: exited(0),
      expected: { status: 'succeeded', attempt: 1, exitCode: 0 },
    },
    {
      name: 'exit 1 fails',
      state: running,
      exit: exited(1),
      expected: { status: 'failed', exitCode: 1, reason: 'trainer failed (exit 1)' },
    },
    {
      name: 'exit 3 is a data error',
      state: running,
      exit: exited(3),
      expected: { status: 'failed', exitCode: 3 },
    },
    {
      name: 'exit 4 is divergence',
      state: running,
      exit: exited(4),
      expected: { status: 'failed', exitCode: 4 },
    },
    {
      name: 'exit 130 without a cancel intent fails',
      state: running,
      exit: exited(130),
      expected: { status: 'failed', exitCode: 130 },
    },
    {
      name: 'exit 75 queues the next attempt (preempted, not failed)',
      state: running,
      exit: exited(75),
      expected: { status: 'queued', attempt: 2, exitCode: 75 },
    },
    {
      name: 'SIGKILL fails with the signal in the reason',
      state: running,
      exit: exited(null, 'SIGKILL'),
      expected: { status: 'failed', reason: 'trainer process died (signal SIGKILL)' },
    },
    {
      name: 'a lost task fails, never stays running',
      state: running,
      exit: { kind: 'lost' },
      expected: { status: 'failed' },
    },
    {
      name: "the runner's attempt timeout ends the job timed_out (never a preemption retry)",
      state: running,
      exit: { kind: 'timed-out', detail: 'AWS Batch: Job attempt duration exceeded timeout' },
      expected: {
        status: 'timed_out',
        attempt: 1,
        reason: 'AWS Batch: Job attempt duration exceeded timeout',
      },
    },
    {
      name: 'a reclaimed host queues the next attempt',
      state: running,
      exit: { kind: 'reclaimed', detail: 'AWS Batch: Host EC2 (instance i-1) terminated.' },
      expected: { status: 'queued', attempt: 2 },
    },
    {
      name: 'a cancel intent wins over a reclaim',
      state: cancelling,
      exit: { kind: 'reclaimed', detail: 'AWS Batch: Host EC2 (instance i-1) terminated.' },
      expected: { status: 'cancelled', attempt: 1 },
    },
    {
      name: 'a cancel intent turns exit 130 into cancelled',
      state: cancelling,
      exit: exited(130),
      expected: { status: 'cancelled', exitCode: 130 },
    },
    {
      name: 'a cancel intent turns SIGKILL into cancelled',
      state: cancelling,
      exit: exited(null, 'SIGKILL'),
      expected: { status: 'cancelled' },
    },
    {
      name: 'a cancel intent turns exit 75 into cancelled',
      state: cancelling,
      exit: exited(75),
      expected: { status: 'cancelled', attempt: 1 },
    },
    {
      name: 'an exit after a terminal record changes nothing',
      state: reduceJobState(log(status('queued'), status('running'), status('timed_out'))),
      exit: exited(130),
      expected: undefined,
    },
  ];
  it.each(cases)('$name', ({ state, exit, expected }) => {
    const outcome = exitOutcome(state, exit);
    if (expected === undefined) expect(outcome).toBeUndefined();
    else expect(outcome).toMatchObject({ kind: 'status', ...expected });
  });
});

describe('timeoutDue', () => {
  const limits = { queueTimeoutMinutes: 10, timeoutMinutes: 60 };
  const origin = Date.UTC(2025, 0, 1);
  const at = (minutes: number) => new Date(origin + minutes * 60_000);
  const queued = reduceJobState(log(status('queued')));
  const running = reduceJobState(log(status('queued'), status('running')));
  const cases = [
    { name: 'queued within the queue limit', state: queued, now: at(9), due: false },
    { name: 'queued past the queue limit', state: queued, now: at(11), due: true },
    { name: 'running within the run limit', state: running, now: at(59), due: false },
    { name: 'running past the run limit', state: running, now: at(61), due: true },
    {
      name: 'terminal jobs never time out',
      state: reduceJobState(log(status('queued'), status('failed'))),
      now: at(999),
      due: false,
    },
  ];
  it.each(cases)('$name', ({ state, now, due }) => {
    const record = timeoutDue(state, limits, now);
    if (due) expect(record).toMatchObject({ status: 'timed_out', attempt: 1 });
    else expect(record).toBeUndefined();
  });
});
