import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError, createApiClient, ok } from '../../../functions/client/client.ts';
import { type Listening, listen } from '../http-server.ts';
import { makeTestApi, type TestApi, tinySpec, waitFor } from '../support.ts';

// The generated client against the real app over real HTTP (stand-in trainer that sleeps).
const token = 'alice-token-123';
let api: TestApi;
let server: Listening;

beforeAll(async () => {
  api = await makeTestApi({ env: { LDAM_API_KEYS: `alice:${token}` }, mode: 'sleep' });
  server = await listen(api);
});

afterAll(async () => {
  await server?.close();
  await api?.close();
});

const client = () => createApiClient({ url: server.url, key: token });

describe('the generated API client', () => {
  it('submits, reads, lists, cancels and deletes a job with typed bodies and answers', async () => {
    const alice = client();
    const job = await ok(alice.POST('/v1/jobs', { body: tinySpec({ name: 'via client' }) as never }));
    expect(job).toMatchObject({ name: 'via client', attempt: 1 });
    expect(['queued', 'starting']).toContain(job.status);
    const read = await ok(alice.GET('/v1/jobs/{id}', { params: { path: { id: job.id } } }));
    expect(read.spec.schedule.epochs).toBe(2);
    const list = await ok(alice.GET('/v1/jobs', { params: { query: { limit: 5 } } }));
    expect(list.jobs.map((j) => j.id)).toContain(job.id);
    await api.ready(job.id);
    const cancelled = await ok(alice.POST('/v1/jobs/{id}/cancel', { params: { path: { id: job.id } } }));
    expect(cancelled.cancelRequested).toBe(true);
    await waitFor(async () => {
      const v = await ok(alice.GET('/v1/jobs/{id}', { params: { path: { id: job.id } } }));
      return v.status === 'cancelled' ? v : undefined;
    });
    expect(await ok(alice.DELETE('/v1/jobs/{id}', { params: { path: { id: job.id } } }))).toBeUndefined();
  });

  it('throws ApiCallError with the status, code and every failing field of a refused request', async () => {
    const refused = await ok(
      client().POST('/v1/jobs', { body: tinySpec({ schedule: { epochs: 0 } }) as never }),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiCallError);
    const error = refused as ApiCallError;
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.issues.map((i) => i.path)).toContain('schedule.epochs');
    expect(error.message).toMatch(/^HTTP 400: .*\n {2}schedule\.epochs: /s);
  });

  it('sends the key as a bearer token, and without it the API answers 401', async () => {
    const anonymous = createApiClient({ url: server.url });
    const error = (await ok(anonymous.GET('/v1/jobs', {})).catch((e: unknown) => e)) as ApiCallError;
    expect(error.status).toBe(401);
    const other = await ok(client().GET('/v1/jobs/{id}', { params: { path: { id: 'j-nope' } } })).catch(
      (e: unknown) => e as ApiCallError,
    );
    expect(other.status).toBe(404);
  });

  it('names the cell and field of an invalid benchmark', async () => {
    const error = (await ok(
      client().POST('/v1/benchmarks', {
        body: {
          version: 1,
          base: tinySpec(),
          methods: ['erm'],
          grid: { 'optimizer.batchSize': [16, 0] },
          seeds: [0],
        } as never,
      }),
    ).catch((e: unknown) => e)) as ApiCallError;
    expect(error.status).toBe(400);
    expect(error.issues.some((i) => i.cell !== undefined && i.path.includes('batchSize'))).toBe(true);
    expect(error.message).toMatch(/cell \S+: .*batchSize/);
  });
});
