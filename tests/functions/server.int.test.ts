// The real Node server over HTTP: embedded S3, the local runner and the real `ldam train`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/http/logger.ts';
import type { LocalRunner } from '../../functions/runners/local-runner.ts';
import { type RunningServer, startServer } from '../../functions/server.ts';
import type { JobEvent } from '../../trainer/events/types.ts';
import { longSpec, readUntil, serverEnv, tinySpec } from './support.ts';

let server: RunningServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ldam-server-'));
  const env = serverEnv(dataDir, { LDAM_MAX_ACTIVE_JOBS_PER_KEY: '10' });
  server = await startServer({ host: '127.0.0.1', port: 0, env, logger: silentLogger, pollMs: 200 });
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T,
    headers: response.headers,
  };
}

interface Received {
  id: string;
  type: string;
  event: JobEvent | { status: string };
}

/** Reads the SSE stream with the eventsource client until `end` (or `stopAfter` events). */
function readStream(
  jobId: string,
  lastEventId?: string,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<Received[]> {
  return new Promise((resolve, reject) => {
    const received: Received[] = [];
    const source = new EventSource(`${server.url}/v1/jobs/${jobId}/events`, {
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        if (lastEventId !== undefined && !headers.has('last-event-id'))
          headers.set('Last-Event-ID', lastEventId);
        return fetch(input, { ...init, headers });
      },
    });
    const take = (type: string) => (message: MessageEvent) => {
      received.push({ id: message.lastEventId, type, event: JSON.parse(message.data) });
      if (type === 'end' || received.length >= stopAfter) {
        source.close();
        resolve(received);
      }
    };
    for (const type of ['status', 'metric', 'note', 'intent', 'end'])
      source.addEventListener(type, take(type));
    source.onerror = (error) => {
      if (source.readyState === EventSource.CLOSED) reject(new Error(`stream closed: ${error.message}`));
    };
  });
}

type View = {
  id: string;
  status: string;
  attempt: number;
  failureReason?: string;
  transitions: { status: string; attempt: number }[];
  progress: { epoch: number };
};
const view = async (id: string) => (await api<View>('GET', `/v1/jobs/${id}`)).body;
const until = (id: string, ok: (v: View) => boolean, timeoutMs = 240_000) =>
  readUntil(() => view(id), ok, timeoutMs, `job ${id}`);

const shortRun = tinySpec({
  schedule: { epochs: 3, warmupEpochs: 0 },
  augment: { crop: false, flip: false },
});
// Long enough to interrupt.
const longRun = longSpec(40, 64);

describe('API server with the embedded S3 server, the local runner and the real trainer', () => {
  it('runs a job to succeeded, streams it in order, resumes the stream exactly, and serves every report format', async () => {
    const first = await api<View>('POST', '/v1/jobs', shortRun, { 'Idempotency-Key': 'int-test-1' });
    expect(first.status).toBe(201);
    const again = await api<View>('POST', '/v1/jobs', shortRun, { 'Idempotency-Key': 'int-test-1' });
    expect(again.body.id).toBe(first.body.id);
    const id = first.body.id;

    const all = await readStream(id);
    const statuses = all
      .filter((r) => r.type === 'status')
      .map((r) => (r.event as JobEvent & { kind: 'status' }).status);
    expect(statuses).toEqual(['queued', 'starting', 'running', 'succeeded']);
    const epochsOfLoss = all
      .filter((r) => r.type === 'metric' && (r.event as { key: string }).key === 'train_loss')
      .map((r) => (r.event as { epoch: number }).epoch);
    expect(epochsOfLoss).toEqual([1, 2, 3]);
    expect(all.at(-1)?.type).toBe('end');
    const ids = all.filter((r) => r.type !== 'end').map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);

    // Reconnect from the middle: exactly the remaining events, none repeated or skipped.
    const cut = Math.floor(ids.length / 2);
    const resumed = await readStream(id, ids[cut - 1]);
    expect(resumed.filter((r) => r.type !== 'end').map((r) => r.id)).toEqual(ids.slice(cut));

    const formats = [
      ['json', 'application/json'],
      ['csv', 'text/csv'],
      ['svg', 'image/svg+xml'],
      ['md', 'text/markdown'],
    ] as const;
    for (const [format, type] of formats) {
      const response = await fetch(`${server.url}/v1/jobs/${id}/report?format=${format}`);
      expect(response.status, format).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect((await response.text()).length).toBeGreaterThan(20);
    }
    const report = (await api<{ jobId: string; classes: unknown[] }>('GET', `/v1/jobs/${id}/report`)).body;
    expect(report.jobId).toBe(id);
    expect(report.classes).toHaveLength(3);
    const artifacts = (
      await api<{ artifacts: { name: string; size: number; url: string }[] }>(
        'GET',
        `/v1/jobs/${id}/artifacts`,
      )
    ).body.artifacts;
    expect(artifacts.map((a) => a.name)).toEqual(
      expect.arrayContaining(['spec.json', 'reports/report.json']),
    );
    // The embedded store answers only signed requests: downloads go through the API, streamed.
    const specUrl = artifacts.find((a) => a.name === 'spec.json')?.url as string;
    expect(specUrl).toBe(`/v1/jobs/${id}/artifacts/spec.json`);
    const download = await fetch(new URL(specUrl, server.url));
    expect(((await download.json()) as { version: number }).version).toBe(1);
    const nested = artifacts.find((a) => a.name === 'reports/report.json');
    const report2 = await fetch(new URL(nested?.url as string, server.url));
    expect(report2.headers.get('content-length')).toBe(String(nested?.size));
    expect(((await report2.json()) as { jobId: string }).jobId).toBe(id);
    expect(
      (await fetch(`${server.url}/v1/jobs/${id}/artifacts/${encodeURIComponent('../other/spec.json')}`))
        .status,
    ).toBe(400);
    expect((await fetch(`${server.url}/v1/jobs/${id}/artifacts/nothing-here`)).status).toBe(404);
    const logs = await api<string>('GET', `/v1/jobs/${id}/logs`);
    expect(logs.body.length).toBeGreaterThan(0);
  });

  it('cancels a running job: it ends cancelled and its trainer process is gone', async () => {
    const { body } = await api<View>('POST', '/v1/jobs', longRun);
    await until(body.id, (v) => v.progress.epoch >= 1);
    const pid = (server.runner as LocalRunner).pidOf(body.id);
    expect(pid).toBeTypeOf('number');
    expect((await api<View>('POST', `/v1/jobs/${body.id}/cancel`)).status).toBe(202);
    const done = await until(body.id, (v) => v.status === 'cancelled', 60_000);
    expect(done.transitions.map((t) => t.status)).toEqual(['queued', 'starting', 'running', 'cancelled']);
    // The trainer records `cancelled` as it stops, then exits: allow it the moment to exit.
    const gone = async (): Promise<boolean> => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
        try {
          process.kill(pid as number, 0);
        } catch {
          return true;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    };
    expect(await gone()).toBe(true);
  });

  it('fails a job whose trainer is SIGKILLed, and retry completes it from its checkpoint', async () => {
    const { body } = await api<View>('POST', '/v1/jobs', longRun);
    const id = body.id;
    await until(id, (v) => v.progress.epoch >= 3);
    process.kill((server.runner as LocalRunner).pidOf(id) as number, 'SIGKILL');
    const failed = await until(id, (v) => v.status === 'failed', 60_000);
    expect(failed.failureReason).toBe('trainer process died (signal SIGKILL)');
    const killedAt = failed.progress.epoch;

    const retried = await api<View>('POST', `/v1/jobs/${id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body.attempt).toBe(2);
    const done = await until(id, (v) => v.status === 'succeeded');
    expect(done.attempt).toBe(2);
    const page = (await api<{ events: JobEvent[] }>('GET', `/v1/jobs/${id}/events`)).body;
    const secondAttemptEpochs = page.events
      .filter((e) => e.kind === 'metric' && e.attempt === 2)
      .map((e) => (e as { epoch: number }).epoch);
    // Resumed from the last checkpoint: attempt 2 never re-ran epoch 1.
    expect(Math.min(...secondAttemptEpochs)).toBeGreaterThan(1);
    expect(Math.min(...secondAttemptEpochs)).toBeLessThanOrEqual(killedAt + 1);
    expect(Math.max(...secondAttemptEpochs)).toBe(40);
  });

  it.each([
    { name: 'malformed JSON', body: '{"version": 1', status: 400 },
    { name: 'unknown field', body: JSON.stringify({ ...shortRun, extra: true }), status: 400 },
    {
      name: 'body over 64 KiB',
      body: JSON.stringify({ ...shortRun, name: 'x'.repeat(70_000) }),
      status: 413,
    },
    {
      name: 'dataset outside the roots',
      body: JSON.stringify({
        ...shortRun,
        dataset: { name: 'custom', format: 'idx', numClasses: 3, source: '/etc' },
      }),
      status: 400,
    },
    {
      name: 'over the cost guard',
      body: JSON.stringify({ version: 1, dataset: { name: 'cifar10' } }),
      status: 422,
    },
  ])('refuses $name with $status over HTTP and leaves the bucket unchanged', async ({ body, status }) => {
    const before = (await server.store.list('')).map((o) => o.key);
    const response = await fetch(`${server.url}/v1/jobs`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBeTypeOf('string');
    expect((await server.store.list('')).map((o) => o.key)).toEqual(before);
  });
});
