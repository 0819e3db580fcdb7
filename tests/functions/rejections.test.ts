import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePosition } from '../../trainer/events/log.ts';
import { makeTestApi, type TestApi, tinySpec } from './support.ts';

// Every way a request is refused: the status, the error body, and that the store is unchanged.
const token = 'secret-token-alice';
const auth = { Authorization: `Bearer ${token}` };

let api: TestApi;
let aliceJob: string;
let bobJob: string;
beforeAll(async () => {
  api = await makeTestApi({
    mode: 'sleep',
    env: {
      LDAM_API_KEYS: `alice:${token},bob:secret-token-bob,carol:secret-token-carol`,
      LDAM_MAX_ACTIVE_JOBS_PER_KEY: '1',
    },
  });
  const submit = async (key: string) =>
    (
      (await (
        await api.app.request('/v1/jobs', {
          method: 'POST',
          body: JSON.stringify(tinySpec()),
          headers: { Authorization: `Bearer ${key}` },
        })
      ).json()) as { id: string }
    ).id;
  aliceJob = await submit(token);
  bobJob = await submit('secret-token-bob');
});
afterAll(async () => api.close());

interface Case {
  name: string;
  method?: string;
  path?: string | (() => string);
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  issues?: { path: string; rule: string | RegExp }[];
  check?: (error: Record<string, unknown>) => void;
}

const big = 'x'.repeat(70 * 1024);
const cifarDefault = { version: 1, dataset: { name: 'cifar10' } };

const cases: Case[] = [
  {
    name: 'malformed JSON',
    body: '{"version": 1,',
    status: 400,
    code: 'validation_failed',
    issues: [{ path: '', rule: /^malformed JSON/ }],
  },
  {
    name: 'not an object',
    body: '[1, 2]',
    status: 400,
    code: 'validation_failed',
    issues: [{ path: '', rule: /expected object/i }],
  },
  {
    name: 'wrong types, every field reported',
    body: tinySpec({ optimizer: { lr: 'fast', batchSize: 1.5 }, seed: 'x' }),
    status: 400,
    code: 'validation_failed',
    issues: [
      { path: 'optimizer.lr', rule: /expected number/i },
      { path: 'optimizer.batchSize', rule: /int/i },
      { path: 'seed', rule: /expected (int|number)/i },
    ],
  },
  {
    name: 'unknown fields',
    body: tinySpec({ optimiser: {}, model: { arch: 'mlp', depth: 3 } }),
    status: 400,
    code: 'validation_failed',
    issues: [
      { path: '', rule: 'unknown field(s): optimiser' },
      { path: 'model', rule: 'unknown field(s): depth' },
    ],
  },
  {
    name: 'out of range',
    body: tinySpec({ optimizer: { batchSize: 0, lr: 50 }, schedule: { epochs: 0 } }),
    status: 400,
    code: 'validation_failed',
    issues: [
      { path: 'optimizer.batchSize', rule: /1/ },
      { path: 'optimizer.lr', rule: /10/ },
      { path: 'schedule.epochs', rule: /1/ },
    ],
  },
  {
    name: 'missing version',
    body: { dataset: { name: 'mnist' } },
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'version', rule: /expected 1|invalid input/i }],
  },
  { name: 'body over 64 KiB', body: { ...tinySpec(), name: big }, status: 413, code: 'payload_too_large' },
  {
    name: 'local dataset source outside the data roots',
    body: tinySpec({ dataset: { name: 'custom', format: 'image-folder', numClasses: 3, source: '/etc' } }),
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'dataset.source', rule: /outside the allowed data roots/ }],
  },
  {
    name: 'dataset source climbing out with ..',
    body: tinySpec({
      dataset: {
        name: 'custom',
        format: 'image-folder',
        numClasses: 3,
        source: '/usr/share/datasets/../../etc',
      },
    }),
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'dataset.source', rule: /'\.\.'/ }],
  },
  {
    name: "s3 source outside the bucket's datasets/ prefix",
    body: tinySpec({
      dataset: { name: 'custom', format: 'image-folder', numClasses: 3, source: 's3://someone-else/data' },
    }),
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'dataset.source', rule: /datasets\// }],
  },
  {
    name: 'https source of a host not allowed',
    body: tinySpec({
      dataset: {
        name: 'custom',
        format: 'image-folder',
        numClasses: 3,
        source: 'https://example.com/data.tar',
      },
    }),
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'dataset.source', rule: /not listed/ }],
  },
  {
    name: 'other schemes',
    body: tinySpec({
      dataset: { name: 'custom', format: 'image-folder', numClasses: 3, source: 'file:///etc' },
    }),
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'dataset.source', rule: /only local paths/ }],
  },
  {
    name: 'over the cost guard (ResNet-32, 200 epochs of CIFAR-10 on the CPU runner)',
    body: cifarDefault,
    headers: { Authorization: 'Bearer secret-token-carol' },
    status: 422,
    code: 'cost_limit_exceeded',
    check: (error) => {
      expect(error.estimateSeconds as number).toBeGreaterThan(error.limitSeconds as number);
      expect(error.estimate).toMatchObject({ trainImages: 12406, epochs: 200, device: 'cpu' });
    },
  },
  {
    name: 'over the active-job limit of the key',
    body: tinySpec(),
    status: 429,
    code: 'too_many_jobs',
    check: (e) => expect(e.limit).toBe(1),
  },
  { name: 'no API key', body: tinySpec(), headers: { Authorization: '' }, status: 401, code: 'unauthorized' },
  {
    name: 'wrong API key',
    body: tinySpec(),
    headers: { Authorization: 'Bearer secret-token-alicE' },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'not a bearer token',
    method: 'GET',
    path: '/v1/jobs',
    headers: { Authorization: `Basic ${token}` },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'unknown job',
    method: 'GET',
    path: '/v1/jobs/j-0000000000-00000000',
    status: 404,
    code: 'not_found',
  },
  { name: 'malformed job id', method: 'GET', path: '/v1/jobs/..%2Fetc', status: 404, code: 'not_found' },
  {
    name: "another owner's job",
    method: 'GET',
    path: () => `/v1/jobs/${bobJob}`,
    status: 404,
    code: 'not_found',
  },
  {
    name: "cancelling another owner's job",
    method: 'POST',
    path: () => `/v1/jobs/${bobJob}/cancel`,
    status: 404,
    code: 'not_found',
  },
  {
    name: 'deleting an active job',
    method: 'DELETE',
    path: () => `/v1/jobs/${aliceJob}`,
    status: 409,
    code: 'conflict',
  },
  {
    name: 'retrying an active job',
    method: 'POST',
    path: () => `/v1/jobs/${aliceJob}/retry`,
    status: 409,
    code: 'conflict',
  },
  {
    name: 'bad list query',
    method: 'GET',
    path: '/v1/jobs?limit=0&status=done&extra=1',
    status: 400,
    code: 'validation_failed',
    issues: [
      { path: 'limit', rule: /1/ },
      { path: 'status', rule: /queued/ },
      { path: '', rule: /extra/ },
    ],
  },
  {
    name: 'bad report format',
    method: 'GET',
    path: () => `/v1/jobs/${aliceJob}/report?format=pdf`,
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'format', rule: /json/ }],
  },
  {
    name: 'bad events position',
    method: 'GET',
    path: () => `/v1/jobs/${aliceJob}/events?after=z9`,
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'after', rule: /invalid event log position/ }],
  },
  {
    name: 'report not written yet',
    method: 'GET',
    path: () => `/v1/jobs/${aliceJob}/report`,
    status: 404,
    code: 'not_found',
  },
  { name: 'unknown route', method: 'GET', path: '/v2/whatever', status: 404, code: 'not_found' },
  {
    name: 'a key named twice (JSON.parse would keep the last)',
    body: `{"version": 1, "dataset": {"name": "cifar10"}, "schedule": {"epochs": 2}, "schedule": {"epochs": 9999}}`,
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'schedule', rule: /duplicate key 'schedule'/ }],
  },
  {
    name: 'an escape sequence in the name',
    body: tinySpec({ name: 'run\u001b[2J' }),
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'name', rule: /U\+001B/ }],
  },
  {
    name: 'an empty Idempotency-Key',
    body: tinySpec(),
    headers: { 'Idempotency-Key': '' },
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'Idempotency-Key', rule: /must not be empty/ }],
  },
  {
    name: 'an events position past the end of the log',
    method: 'GET',
    path: () => `/v1/jobs/${aliceJob}/events?after=${encodePosition({ api: 999 })}`,
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'after', rule: /past the end of the job's event log \(api seq 999/ }],
  },
  {
    name: 'a Last-Event-ID past the end of the stream',
    method: 'GET',
    path: () => `/v1/jobs/${aliceJob}/events`,
    headers: { Accept: 'text/event-stream', 'Last-Event-ID': encodePosition({ api: 1, trainer: 50 }) },
    status: 400,
    code: 'validation_failed',
    issues: [{ path: 'Last-Event-ID', rule: /past the end.*trainer seq 50; the log has 0/ }],
  },
];

describe('refused requests (status, error body, nothing stored)', () => {
  it.each(cases)('$name → $status', async (c) => {
    const before = await api.keys();
    const path = typeof c.path === 'function' ? c.path() : (c.path ?? '/v1/jobs');
    const headers = { ...auth, ...c.headers };
    const response = await api.app.request(path, {
      method: c.method ?? 'POST',
      headers,
      ...(c.body === undefined ? {} : { body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) }),
    });
    expect(response.status).toBe(c.status);
    const { error } = (await response.json()) as { error: Record<string, unknown> };
    expect(error.code).toBe(c.code);
    expect(typeof error.message).toBe('string');
    for (const expected of c.issues ?? []) {
      const issues = error.issues as { path: string; rule: string }[];
      expect(
        issues.some(
          (i) =>
            i.path === expected.path &&
            (typeof expected.rule === 'string' ? i.rule === expected.rule : expected.rule.test(i.rule)),
        ),
        `${expected.path} in ${JSON.stringify(issues)}`,
      ).toBe(true);
    }
    c.check?.(error);
    await api.supervisor.settle();
    expect(await api.keys()).toEqual(before);
  });
});
