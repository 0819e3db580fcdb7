// The per-key active-job limit under real concurrency: simultaneous POST /v1/jobs over loopback HTTP
// against one server, and against two API servers sharing one local-directory store.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Listening, listen } from './http-server.ts';
import { makeTestApi, type TestApi, tinySpec } from './support.ts';

const token = 'secret-token-alice-0123456789';
const env = { LDAM_API_KEYS: `alice:${token}`, LDAM_MAX_ACTIVE_JOBS_PER_KEY: '4' };
const opened: { api: TestApi; server: Listening }[] = [];
const dirs: string[] = [];

async function server(storeDir?: string): Promise<Listening> {
  const api = await makeTestApi({ mode: 'sleep', env, ...(storeDir === undefined ? {} : { storeDir }) });
  const listening = await listen(api);
  opened.push({ api, server: listening });
  return listening;
}

/** `count` submissions released together, each with its own Idempotency-Key; their statuses. */
async function submitTogether(urls: readonly string[], count: number): Promise<number[]> {
  const body = JSON.stringify(tinySpec());
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${urls[i % urls.length]}/v1/jobs`, {
        method: 'POST',
        body,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': `burst-${i}`,
        },
      }),
    ),
  );
  return Promise.all(
    responses.map(async (r) => {
      await r.arrayBuffer();
      return r.status;
    }),
  );
}

async function jobCount(url: string): Promise<number> {
  const response = await fetch(`${url}/v1/jobs?limit=100`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await response.json()) as { jobs: unknown[] }).jobs.length;
}

const tally = (statuses: readonly number[]) => ({
  created: statuses.filter((s) => s === 201).length,
  refused: statuses.filter((s) => s === 429).length,
});

afterEach(async () => {
  for (const { api, server: s } of opened.splice(0)) {
    await s.close();
    await api.close();
  }
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('per-key admission under concurrency', () => {
  it('admits exactly 4 of 100 simultaneous submissions at a limit of 4; the rest get 429', async () => {
    const { url } = await server();
    expect(tally(await submitTogether([url], 100))).toEqual({ created: 4, refused: 96 });
    expect(await jobCount(url)).toBe(4);
  });

  it('holds across two API servers sharing one local-directory store', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'ldam-shared-store-'));
    dirs.push(storeDir);
    const a = await server(storeDir);
    const b = await server(storeDir);
    expect(tally(await submitTogether([a.url, b.url], 60))).toEqual({ created: 4, refused: 56 });
    expect(await jobCount(a.url)).toBe(4);
    expect(await jobCount(b.url)).toBe(4);
  });
});
