import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayGuard, gatewayHeaders, isStreamRoute } from '../../../functions/http/gateway-guard.ts';
import { cachedValue } from '../../../functions/http/key-source.ts';
import { type Listening, listen } from '../http-server.ts';

// The Lambda's root in front of a stand-in app, over real HTTP: what reaches the app through the
// Function URL with and without the HTTP API's token.
describe('gateway guard (the Function URL serves only event streams)', () => {
  let server: Listening;
  let tokenReads = 0;
  const currentToken = 'gateway-token-one-0123456789abcdef';
  beforeAll(async () => {
    const token = cachedValue(
      async () => {
        tokenReads++;
        return currentToken;
      },
      { ttlMs: 60_000, staleMs: 60_000 },
    );
    const root = new Hono();
    root.use('*', gatewayGuard(token));
    root.all('*', (c) => c.json({ reached: `${c.req.method} ${c.req.path}` }));
    server = await listen({ app: root });
  });
  afterAll(() => server.close());

  const call = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method, headers });

  it.each([
    ['POST', '/v1/jobs'],
    ['GET', '/v1/jobs'],
    ['GET', '/v1/jobs/abc'],
    ['DELETE', '/v1/jobs/abc'],
    ['POST', '/v1/jobs/abc/cancel'],
    ['GET', '/'],
    ['GET', '/metrics'],
    ['POST', '/v1/jobs/abc/events'],
  ])('refuses %s %s without the token (403 naming the HTTP API)', async (method, path) => {
    const response = await call(method, path);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('stream_only');
    expect(body.error.message).toContain('ApiUrl');
  });

  it('refuses a wrong token of any length', async () => {
    for (const wrong of ['', 'x', 'gateway-token-one-0123456789abcdeF', `${currentToken}x`]) {
      const response = await call('POST', '/v1/jobs', { [gatewayHeaders.token]: wrong });
      expect(response.status).toBe(403);
    }
  });

  it('passes an event stream request without the token', async () => {
    const response = await call('GET', '/v1/jobs/job-123/events');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reached: 'GET /v1/jobs/job-123/events' });
  });

  it('passes every route with the gateway token, reading the secret once per cache period', async () => {
    const before = tokenReads;
    for (const [method, path] of [
      ['POST', '/v1/jobs'],
      ['GET', '/'],
      ['DELETE', '/v1/jobs/abc'],
    ] as const) {
      const response = await call(method, path, { [gatewayHeaders.token]: currentToken });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ reached: `${method} ${path}` });
    }
    expect(tokenReads - before).toBeLessThanOrEqual(1);
  });

  it('matches only the job events route as a stream route', () => {
    expect(isStreamRoute('GET', '/v1/jobs/a/events')).toBe(true);
    expect(isStreamRoute('GET', '/v1/jobs/a/events/x')).toBe(false);
    expect(isStreamRoute('GET', '/v1/jobs/a/b/events')).toBe(false);
    expect(isStreamRoute('HEAD', '/v1/jobs/a/events')).toBe(false);
    expect(isStreamRoute('GET', '/v1/benchmarks/a/events')).toBe(false);
  });
});
