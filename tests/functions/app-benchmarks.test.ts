import { afterEach, describe, expect, it } from 'vitest';
import { parseApiConfig } from '../../functions/config.ts';
import { bearerOf, makeTestApi, type TestApi, tinySpec, twoOwnerKeys } from './support.ts';

// Benchmarks as the real app mounts them: behind the API keys, cells submitted as the caller's jobs.

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const post = (a: TestApi, path: string, body: unknown, headers: Record<string, string>) =>
  a.app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('benchmark routes in the API app', () => {
  it('rejects a grid with an invalid cell: 400 naming the cell and field, nothing stored', async () => {
    api = await makeTestApi({ env: { LDAM_API_KEYS: twoOwnerKeys } });
    const benchmark = { version: 1, base: tinySpec(), grid: { 'optimizer.lr': [0.1, -1] } };
    expect((await post(api, '/v1/benchmarks', benchmark, {})).status).toBe(401);
    const response = await post(api, '/v1/benchmarks', benchmark, bearerOf('alice'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'validation_failed', issues: [{ cell: 'base.s1.seed0', path: 'optimizer.lr' }] },
    });
    expect(await api.keys()).toEqual([]);
  });

  it("runs cells as the caller's jobs and hides the benchmark from another key (404)", async () => {
    api = await makeTestApi({ env: { LDAM_API_KEYS: twoOwnerKeys, LDAM_PRICE_PER_DEVICE_HOUR: '0.9' } });
    const created = await post(api, '/v1/benchmarks', { version: 1, base: tinySpec() }, bearerOf('alice'));
    expect(created.status).toBe(201);
    const view = (await created.json()) as { id: string; cells: { jobId: string | null }[] };
    const jobId = view.cells[0]?.jobId;
    expect(jobId).toEqual(expect.any(String));

    const a = api;
    const get = (path: string, owner: 'alice' | 'bob') => a.app.request(path, { headers: bearerOf(owner) });
    expect((await get(`/v1/benchmarks/${view.id}`, 'alice')).status).toBe(200);
    expect((await get(`/v1/jobs/${jobId}`, 'alice')).status).toBe(200);
    for (const path of [
      `/v1/benchmarks/${view.id}`,
      `/v1/benchmarks/${view.id}/results`,
      `/v1/jobs/${jobId}`,
    ])
      expect((await get(path, 'bob')).status, path).toBe(404);
    expect((await post(api, `/v1/benchmarks/${view.id}/cancel`, {}, bearerOf('bob'))).status).toBe(404);

    const results = (await (await get(`/v1/benchmarks/${view.id}/results`, 'alice')).json()) as {
      pricePerDeviceHour?: number;
    };
    expect(results.pricePerDeviceHour).toBe(0.9);
  });

  it('documents the benchmark routes from the benchmark schema', async () => {
    api = await makeTestApi();
    const doc = (await (await api.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: unknown[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    // The body refers to the named benchmark schema, which the reference lists.
    expect(doc.paths['/v1/benchmarks']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/BenchmarkSpec' } } },
    });
    expect(doc.components.schemas.BenchmarkSpec).toMatchObject({
      properties: { grid: {}, seeds: {}, methods: {} },
    });
    expect(doc.paths['/v1/benchmarks/{id}/results']?.get?.parameters).toContainEqual(
      expect.objectContaining({
        name: 'format',
        in: 'query',
        schema: expect.objectContaining({ enum: ['json', 'csv', 'md', 'svg'] }),
      }),
    );
    expect(Object.keys(doc.paths['/v1/benchmarks/{id}/cancel'] ?? {})).toEqual(['post']);
  });
});

describe('LDAM_PRICE_PER_DEVICE_HOUR', () => {
  it('is optional, parsed as a number, and refused when it is not one', () => {
    expect(parseApiConfig({}, '/tmp').pricePerDeviceHour).toBeUndefined();
    expect(parseApiConfig({ LDAM_PRICE_PER_DEVICE_HOUR: '2.5' }, '/tmp').pricePerDeviceHour).toBe(2.5);
    expect(() => parseApiConfig({ LDAM_PRICE_PER_DEVICE_HOUR: 'abc' }, '/tmp')).toThrow(
      /LDAM_PRICE_PER_DEVICE_HOUR/,
    );
  });
});
