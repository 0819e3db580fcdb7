import { describe, expect, it } from 'vitest';
import { type JobState, reduceJobState } from '../../../trainer/events/reduce.ts';
import type { JobEvent, JobStatus } from '../../../trainer/events/types.ts';
import { cancelIntent, log, status } from './event-log-fixture.ts';

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
