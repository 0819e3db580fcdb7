import { describe, expect, it } from 'vitest';
import { lostTaskOutcome } from '../../../functions/jobs/recovery.ts';
import { reduceJobState } from '../../../trainer/events/reduce.ts';
import type { JobEvent } from '../../../trainer/events/types.ts';

const t = '2026-01-01T00:00:00.000Z';
const running = (attempt: number, extra: JobEvent[] = []) =>
  reduceJobState([
    { kind: 'status', status: 'queued', attempt, writer: 'api', seq: 1, time: t },
    { kind: 'status', status: 'starting', attempt, writer: 'api', seq: 2, time: t },
    { kind: 'status', status: 'running', attempt, writer: 'trainer', seq: 1, time: t },
    ...extra,
  ]);

describe('lostTaskOutcome', () => {
  it('resumes from the checkpoint as the next attempt while the budget lasts', () => {
    expect(lostTaskOutcome(running(2), { checkpointEpoch: 7, maxAttempts: 3, detail: 'no record' })).toEqual({
      kind: 'status',
      status: 'queued',
      attempt: 3,
      reason:
        'trainer process lost (no record); resuming from the checkpoint of epoch 7 as attempt 3 of at most 3',
    });
  });

  it('fails once resources.maxAttempts is spent, saying so', () => {
    const outcome = lostTaskOutcome(running(3), { checkpointEpoch: 7, maxAttempts: 3 });
    expect(outcome?.status).toBe('failed');
    expect(outcome?.reason).toMatch(/on attempt 3 of 3 \(resources\.maxAttempts\): not resumed$/);
  });

  it('ends a job whose cancel was requested as cancelled, not resumed', () => {
    const state = running(1, [
      { kind: 'intent', intent: 'cancel', attempt: 1, writer: 'api', seq: 3, time: t },
    ]);
    expect(lostTaskOutcome(state, { checkpointEpoch: undefined, maxAttempts: 3 })?.status).toBe('cancelled');
  });

  it('leaves terminal jobs alone', () => {
    const done = reduceJobState([
      { kind: 'status', status: 'queued', attempt: 1, writer: 'api', seq: 1, time: t },
      { kind: 'status', status: 'succeeded', attempt: 1, writer: 'trainer', seq: 1, time: t },
    ]);
    expect(lostTaskOutcome(done, { checkpointEpoch: 1, maxAttempts: 3 })).toBeUndefined();
  });
});
