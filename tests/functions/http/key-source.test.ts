import { describe, expect, it } from 'vitest';
import { type ApiKey, parseApiKeys } from '../../../functions/http/auth.ts';
import { cachedValue } from '../../../functions/http/key-source.ts';

const keysOf = (text: string): ApiKey[] => parseApiKeys(text);

function counting(answers: Array<ApiKey[] | Error>) {
  let calls = 0;
  const fetchKeys = async () => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls++;
    if (answer instanceof Error) throw answer;
    return answer ?? [];
  };
  return { fetchKeys, calls: () => calls };
}

describe('cachedValue', () => {
  it('fetches once per ttl, then picks up the rotated keys', async () => {
    let now = 0;
    const source = counting([keysOf('admin:old-token-1'), keysOf('admin:new-token-2')]);
    const keys = cachedValue(source.fetchKeys, { ttlMs: 60_000, staleMs: 600_000, clock: () => now });
    const first = await keys();
    now = 59_999;
    expect(await keys()).toBe(first);
    expect(source.calls()).toBe(1);
    now = 60_000;
    const rotated = await keys();
    expect(source.calls()).toBe(2);
    expect(rotated).not.toBe(first);
    expect(rotated[0]?.digest.equals(keysOf('admin:new-token-2')[0]?.digest as Buffer)).toBe(true);
  });

  it('shares one fetch between concurrent requests', async () => {
    const source = counting([keysOf('admin:some-token')]);
    const keys = cachedValue(source.fetchKeys, { ttlMs: 1000, staleMs: 1000 });
    await Promise.all([keys(), keys(), keys()]);
    expect(source.calls()).toBe(1);
  });

  it('serves the last keys through a short outage, then fails closed', async () => {
    let now = 0;
    const errors: unknown[] = [];
    const outage = new Error('Secrets Manager unreachable');
    const source = counting([keysOf('admin:some-token'), outage]);
    const keys = cachedValue(source.fetchKeys, {
      ttlMs: 60_000,
      staleMs: 300_000,
      clock: () => now,
      onError: (e) => errors.push(e),
    });
    const first = await keys();
    now = 120_000;
    expect(await keys()).toBe(first);
    now = 300_001;
    await expect(keys()).rejects.toThrow('Secrets Manager unreachable');
    expect(errors).toHaveLength(2);
  });

  it('never serves anything when the first fetch fails', async () => {
    const keys = cachedValue(counting([new Error('AccessDenied')]).fetchKeys, { ttlMs: 1, staleMs: 1e9 });
    await expect(keys()).rejects.toThrow('AccessDenied');
  });
});
