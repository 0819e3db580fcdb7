import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlushSchedule } from '../../../trainer/store/flush-schedule.ts';

describe('FlushSchedule', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs flushes one at a time, in call order', async () => {
    const log: string[] = [];
    let n = 0;
    const flushes = new FlushSchedule(
      async () => {
        const id = ++n;
        log.push(`start ${id}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        log.push(`end ${id}`);
      },
      1000,
      () => false,
    );
    const both = Promise.all([flushes.flush(), flushes.flush()]);
    await vi.advanceTimersByTimeAsync(50);
    await both;
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('flushes once an interval after scheduling, and retries a failure while work remains', async () => {
    let attempts = 0;
    let buffered = true;
    const flushes = new FlushSchedule(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error('store down');
        buffered = false;
      },
      100,
      () => buffered,
    );
    flushes.schedule();
    flushes.schedule();
    await vi.advanceTimersByTimeAsync(99);
    expect(attempts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(attempts).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toBe(3);
  });

  it('close stops background flushes and writes what is left', async () => {
    let attempts = 0;
    const flushes = new FlushSchedule(
      async () => {
        attempts++;
      },
      100,
      () => true,
    );
    flushes.schedule();
    await flushes.close();
    expect(attempts).toBe(1);
    expect(flushes.closed).toBe(true);
    flushes.schedule();
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toBe(1);
  });
});
