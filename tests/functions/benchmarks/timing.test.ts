import { describe, expect, it } from 'vitest';
import { runningSecondsOf } from '../../../functions/benchmarks/timing.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe('running time of a job', () => {
  it('sums running spans over attempts and leaves queueing out', () => {
    const transitions = [
      { status: 'queued', time: at(0), attempt: 1 },
      { status: 'running', time: at(5), attempt: 1 },
      { status: 'queued', time: at(25), attempt: 2 },
      { status: 'running', time: at(40), attempt: 2 },
      { status: 'succeeded', time: at(50), attempt: 2 },
    ] as const;
    expect(runningSecondsOf(transitions, new Date(at(59)))).toBe(30);
  });

  it('counts a running attempt up to now, and is null for a job that never ran', () => {
    expect(runningSecondsOf([{ status: 'running', time: at(10), attempt: 1 }], new Date(at(14)))).toBe(4);
    expect(runningSecondsOf([{ status: 'queued', time: at(0), attempt: 1 }], new Date(at(9)))).toBeNull();
  });
});
