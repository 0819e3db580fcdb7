// Keys read at request time (the Lambda's Secrets Manager secret): rotation without a restart, and
// never open when the source has no keys.
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiKeys } from '../../functions/http/auth.ts';
import { cachedValue } from '../../functions/http/key-source.ts';
import { makeTestApi, type TestApi } from './support.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('API keys from a key source', () => {
  it('accepts the rotated token and refuses the old one once the cache expires', async () => {
    let now = 0;
    let secret = 'admin:old-token-111';
    const apiKeySource = cachedValue(async () => parseApiKeys(secret), {
      ttlMs: 60_000,
      staleMs: 600_000,
      clock: () => now,
    });
    api = await makeTestApi({ config: { apiKeySource } });
    const list = (token: string) =>
      api?.app.request('/v1/jobs', { headers: { authorization: `Bearer ${token}` } });
    expect((await list('old-token-111'))?.status).toBe(200);
    secret = 'admin:new-token-222';
    expect((await list('new-token-222'))?.status).toBe(401);
    now = 60_000;
    expect((await list('new-token-222'))?.status).toBe(200);
    expect((await list('old-token-111'))?.status).toBe(401);
  });

  it('authenticates nobody when the source has no keys (no loopback-style open access)', async () => {
    api = await makeTestApi({ config: { apiKeySource: async () => [] } });
    expect((await api.app.request('/v1/jobs')).status).toBe(401);
  });
});
