import { describe, expect, it } from 'vitest';
import { currentMetricRecords, resumedAfterEpoch } from '../../../trainer/events/current-metrics.ts';
import { reduceJobState } from '../../../trainer/events/reduce.ts';
import type { JobEvent } from '../../../trainer/events/types.ts';

// One trainer writer's log: seqs from 1, times one second apart.
type Entry =
  | { readonly metric: [epoch: number, key: string, value: number] }
  | { readonly resumed: number; readonly batchesDone?: number }
  | { readonly note: string; readonly data?: Record<string, unknown> };
function trainerLog(...entries: Entry[]): JobEvent[] {
  return entries.map((entry, i) => {
    const base = {
      writer: 'trainer' as const,
      seq: i + 1,
      time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
      attempt: 1,
    };
    if ('metric' in entry) {
      const [epoch, key, value] = entry.metric;
      return { ...base, kind: 'metric', epoch, step: epoch * 10, key, value };
    }
    if ('resumed' in entry) {
      const batchesDone = entry.batchesDone ?? 0;
      return {
        ...base,
        kind: 'note',
        message: `resumed from epoch ${batchesDone > 0 ? `${entry.resumed + 1}, batch ${batchesDone}` : entry.resumed}`,
        data: { completedEpochs: entry.resumed, batchesDone },
      };
    }
    return {
      ...base,
      kind: 'note',
      message: entry.note,
      ...(entry.data === undefined ? {} : { data: entry.data }),
    };
  });
}
const pairs = (events: JobEvent[]) =>
  currentMetricRecords(events).map((e) => (e.kind === 'metric' ? [e.epoch, e.key, e.value] : []));

describe('currentMetricRecords', () => {
  it('keeps every record of a log without resumes', () => {
    const log = trainerLog(
      { metric: [1, 'loss', 3] },
      { metric: [1, 'lr', 0.1] },
      { metric: [2, 'loss', 2] },
    );
    expect(pairs(log)).toEqual([
      [1, 'loss', 3],
      [1, 'lr', 0.1],
      [2, 'loss', 2],
    ]);
  });

  it('a resume drops the epochs the killed run logged after its checkpoint; the re-run replaces them', () => {
    const log = trainerLog(
      { metric: [1, 'loss', 3] },
      { metric: [2, 'loss', 2] },
      { note: 'checkpoint at epoch 2', data: { epoch: 2 } },
      { metric: [3, 'loss', 1.5] },
      { metric: [4, 'loss', 1.4] },
      { resumed: 2 },
      { metric: [3, 'loss', 1.6] },
    );
    // Epoch 4 of the dead run is gone even before the resumed run reaches it again.
    expect(pairs(log)).toEqual([
      [1, 'loss', 3],
      [2, 'loss', 2],
      [3, 'loss', 1.6],
    ]);
  });

  it('a mid-epoch resume keeps the completed epochs', () => {
    const log = trainerLog(
      { metric: [1, 'loss', 3] },
      { resumed: 1, batchesDone: 7 },
      { metric: [2, 'loss', 2] },
    );
    expect(pairs(log)).toEqual([
      [1, 'loss', 3],
      [2, 'loss', 2],
    ]);
  });

  it('a later record of the same epoch and key replaces the earlier one, even without a resume note', () => {
    const log = trainerLog(
      { metric: [1, 'loss', 3] },
      { metric: [2, 'loss', 2] },
      { metric: [1, 'loss', 2.5] },
    );
    expect(pairs(log)).toEqual([
      [2, 'loss', 2],
      [1, 'loss', 2.5],
    ]);
  });
});

describe('resumedAfterEpoch', () => {
  it('reads the resume note only', () => {
    const [resumed, preempted, other] = trainerLog(
      { resumed: 6 },
      { note: 'preempted: checkpoint at epoch 3 (batch 5)', data: { completedEpochs: 2, batchesDone: 5 } },
      { note: 'resumed from somewhere', data: {} },
    );
    expect(resumed && resumedAfterEpoch(resumed)).toBe(6);
    expect(preempted && resumedAfterEpoch(preempted)).toBeUndefined();
    expect(other && resumedAfterEpoch(other)).toBeUndefined();
  });
});

describe('reduceJobState over a resumed run', () => {
  it('progress and latest metrics come from the standing records', () => {
    const state = reduceJobState(
      trainerLog(
        { metric: [1, 'loss', 3] },
        { metric: [2, 'loss', 2] },
        { metric: [3, 'loss', 1] },
        { resumed: 1 },
        { metric: [2, 'loss', 2.2] },
      ),
    );
    expect(state.lastEpoch).toBe(2);
    expect(state.latestMetrics).toEqual({ loss: 2.2 });
    expect([...state.epochTimes.keys()].sort()).toEqual([1, 2]);
    expect(state.epochTimes.get(2)).toBe('2025-01-01T00:00:04.000Z');
  });
});
