// A key-less loopback server over real HTTP against what a web page could send it: a CORS "simple"
// POST (text/plain), a rebound host name, a foreign Origin.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Listening, listen } from '../http-server.ts';
import { makeTestApi, type TestApi, tinySpec } from '../support.ts';

const opened: { api: TestApi; server: Listening }[] = [];
afterEach(async () => {
  for (const { api, server } of opened.splice(0)) {
    await server.close();
    await api.close();
  }
});

async function serve(env: Record<string, string> = {}) {
  const api = await makeTestApi({ mode: 'sleep', env });
  const server = await listen(api);
  opened.push({ api, server });
  return { api, url: new URL(server.url) };
}

/** A raw request, so Host can be set as a rebinding page's browser would send it. */
function send(
  url: URL,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; code?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/v1/jobs',
        headers: options.headers ?? {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        res.on('end', () => {
          const code = text.startsWith('{')
            ? (JSON.parse(text) as { error?: { code?: string } }).error?.code
            : undefined;
          resolve({ status: res.statusCode ?? 0, ...(code === undefined ? {} : { code }) });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const spec = JSON.stringify(tinySpec());

describe('a key-less server refuses what other web pages can send', () => {
  it('answers 415 to a body that is not application/json, and stores nothing', async () => {
    const { api, url } = await serve();
    const plain = await send(url, { method: 'POST', body: spec, headers: { 'Content-Type': 'text/plain' } });
    expect(plain).toEqual({ status: 415, code: 'unsupported_media_type' });
    const untyped = await send(url, { method: 'POST', body: spec });
    expect(untyped.status).toBe(415);
    expect(await api.keys()).toEqual([]);
    const json = await send(url, {
      method: 'POST',
      body: spec,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(json.status).toBe(201);
  });

  it('answers 403 to a Host or Origin that is not this server, and serves its own names', async () => {
    const { url } = await serve();
    expect(await send(url, { headers: { Host: `evil.example:${url.port}` } })).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect((await send(url, { path: '/', headers: { Host: 'evil.example' } })).status).toBe(403);
    const foreign = { Origin: 'http://evil.example', 'Content-Type': 'application/json' };
    expect((await send(url, { method: 'POST', body: spec, headers: foreign })).status).toBe(403);
    for (const host of [`127.0.0.1:${url.port}`, `localhost:${url.port}`, `[::1]:${url.port}`])
      expect((await send(url, { headers: { Host: host } })).status).toBe(200);
    const own = { Origin: `http://localhost:${url.port}` };
    expect((await send(url, { path: `/v1/jobs`, headers: own })).status).toBe(200);
  });

  it('serves the names LDAM_ALLOWED_HOSTS adds, and any name with *', async () => {
    const named = await serve({ LDAM_ALLOWED_HOSTS: 'ldam.internal' });
    expect((await send(named.url, { headers: { Host: 'ldam.internal' } })).status).toBe(200);
    expect((await send(named.url, { headers: { Host: 'other.internal' } })).status).toBe(403);
    const open = await serve({ LDAM_ALLOWED_HOSTS: '*' });
    expect((await send(open.url, { headers: { Host: 'other.internal' } })).status).toBe(200);
  });

  it('leaves servers with API keys to their keys', async () => {
    const { url } = await serve({ LDAM_API_KEYS: 'alice:secret-token-alice' });
    const headers = { Host: 'api.example.com', Authorization: 'Bearer secret-token-alice' };
    expect((await send(url, { headers })).status).toBe(200);
  });
});
