import { describe, expect, it } from 'vitest';
import { exitOutcome, type TaskExit, timeoutDue } from '../../../functions/jobs/lifecycle.ts';
import { type JobState, reduceJobState } from '../../../trainer/events/reduce.ts';
import { cancelIntent, log, status } from '../../trainer/events/event-log-fixture.ts';

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
