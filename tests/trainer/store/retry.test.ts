import { describe, expect, it } from 'vitest';
import { backoffDelayMs, storeDeadlineMsFromEnv, withRetry } from '../../../trainer/store/retry.ts';
import { StorePermanentError, StoreUnavailableError } from '../../../trainer/store/store.ts';

const fast = { deadlineMs: 300, baseDelayMs: 1, maxDelayMs: 5 };

describe('withRetry', () => {
  it('retries transient failures until the operation succeeds', async () => {
    let calls = 0;
    const result = await withRetry(
      'k',
      async () => {
        calls++;
        if (calls < 4) throw new Error('flaky');
        return 'done';
      },
      () => ({ retry: true, reason: 'flaky' }),
      fast,
    );
    expect(result).toBe('done');
    expect(calls).toBe(4);
  });

  it('rethrows what the classifier calls permanent, without retrying', async () => {
    let calls = 0;
    const permanent = new StorePermanentError('k', 'AccessDenied');
    await expect(
      withRetry(
        'k',
        async () => {
          calls++;
          throw new Error('403');
        },
        () => ({ retry: false, error: permanent }),
        fast,
      ),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('gives up past the deadline with StoreUnavailableError naming the key and reason', async () => {
    const started = Date.now();
    const error = await withRetry(
      'runs/x/y',
      async () => {
        throw new Error('ECONNREFUSED');
      },
      () => ({ retry: true, reason: 'connection refused' }),
      { deadlineMs: 150, baseDelayMs: 10, maxDelayMs: 40 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).key).toBe('runs/x/y');
    expect((error as Error).message).toMatch(
      /connection refused; gave up after \d+ attempts in 0\.15 s \(LDAM_STORE_DEADLINE_SECONDS\)$/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('says a single attempt was not retried when the deadline is 0 (streams cannot be replayed)', async () => {
    const error = await withRetry(
      'k',
      async () => {
        throw new Error('ECONNRESET');
      },
      () => ({ retry: true, reason: 'reset' }),
      { ...fast, deadlineMs: 0 },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe("storage unavailable for key 'k': reset; not retried");
  });
});

describe('backoffDelayMs', () => {
  const policy = { deadlineMs: 1000, baseDelayMs: 100, maxDelayMs: 1000 };
  it('doubles its ceiling per attempt up to the maximum, with full jitter', () => {
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBe(799);
    expect(backoffDelayMs(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(10, policy, () => 0)).toBe(0);
  });
});

describe('storeDeadlineMsFromEnv', () => {
  it('defaults to 300 s and reads LDAM_STORE_DEADLINE_SECONDS', () => {
    expect(storeDeadlineMsFromEnv({})).toBe(300_000);
    expect(storeDeadlineMsFromEnv({ LDAM_STORE_DEADLINE_SECONDS: '2.5' })).toBe(2500);
    expect(() => storeDeadlineMsFromEnv({ LDAM_STORE_DEADLINE_SECONDS: 'soon' })).toThrow(
      /LDAM_STORE_DEADLINE_SECONDS/,
    );
  });
});
