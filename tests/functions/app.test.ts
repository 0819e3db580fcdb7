import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApi, type TestApi, tinySpec, waitFor } from './support.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const post = (a: TestApi, path: string, body: unknown, headers: Record<string, string> = {}) =>
  a.app.request(path, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('jobs API over a local directory store and the local runner (stand-in trainer)', () => {
  it('submits a job that runs to succeeded, with every transition timed', async () => {
    api = await makeTestApi();
    const response = await post(api, '/v1/jobs', tinySpec());
    expect(response.status).toBe(201);
    const job = (await response.json()) as { id: string; status: string; links: { self: string } };
    expect(response.headers.get('location')).toBe(`/v1/jobs/${job.id}`);
    const a = api;
    const done = await waitFor(async () => {
      const view = (await (await a.app.request(`/v1/jobs/${job.id}`)).json()) as {
        status: string;
        transitions: { status: string; time: string }[];
        exitCode?: number;
      };
      return view.status === 'succeeded' ? view : undefined;
    });
    expect(done.transitions.map((t) => t.status)).toEqual(['queued', 'starting', 'succeeded']);
    expect(done.exitCode).toBe(0);
    for (const t of done.transitions) expect(Number.isNaN(Date.parse(t.time))).toBe(false);
  });

  it('lists jobs newest first, pages with a cursor and filters by status', async () => {
    api = await makeTestApi({ config: { maxActiveJobsPerKey: 10 } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(((await (await post(api, '/v1/jobs', tinySpec())).json()) as { id: string }).id);
    const a = api;
    await waitFor(async () => {
      const page = (await (await a.app.request('/v1/jobs?status=succeeded')).json()) as { jobs: unknown[] };
      return page.jobs.length === 3 ? true : undefined;
    });
    const first = (await (await api.app.request('/v1/jobs?limit=2')).json()) as {
      jobs: { id: string }[];
      nextCursor: string;
    };
    expect(first.jobs.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    const second = (await (await api.app.request(`/v1/jobs?limit=2&cursor=${first.nextCursor}`)).json()) as {
      jobs: { id: string }[];
      nextCursor: string | null;
    };
    expect(second.jobs.map((j) => j.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    const none = (await (await api.app.request('/v1/jobs?status=failed')).json()) as { jobs: unknown[] };
    expect(none.jobs).toEqual([]);
  });

  it('returns the first job for a repeated Idempotency-Key, and refuses the key with another body', async () => {
    api = await makeTestApi();
    const first = await post(api, '/v1/jobs', tinySpec(), { 'Idempotency-Key': 'abc-123' });
    const again = await post(api, '/v1/jobs', tinySpec(), { 'Idempotency-Key': 'abc-123' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    const other = await post(api, '/v1/jobs', tinySpec({ name: 'other' }), { 'Idempotency-Key': 'abc-123' });
    expect(other.status).toBe(409);
    const list = (await (await api.app.request('/v1/jobs')).json()) as { jobs: unknown[] };
    expect(list.jobs).toHaveLength(1);
  });

  it('cancels a running job: the trainer gets SIGINT and the job ends cancelled', async () => {
    api = await makeTestApi({ mode: 'sleep' });
    const { id } = (await (await post(api, '/v1/jobs', tinySpec())).json()) as { id: string };
    const a = api;
    await api.ready(id);
    const pid = a.runner.pidOf(id) as number;
    const cancelled = await api.app.request(`/v1/jobs/${id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(202);
    const view = await waitFor(async () => {
      const v = (await (await a.app.request(`/v1/jobs/${id}`)).json()) as {
        status: string;
        exitCode?: number;
      };
      return v.status === 'cancelled' ? v : undefined;
    });
    expect(view.exitCode).toBe(130);
    expect(() => process.kill(pid, 0)).toThrow();
    expect((await api.app.request(`/v1/jobs/${id}/cancel`, { method: 'POST' })).status).toBe(409);
  });

  it('escalates to SIGKILL when the trainer ignores SIGINT, still ending cancelled', async () => {
    api = await makeTestApi({ mode: 'ignore-int', graceMs: 300 });
    const { id } = (await (await post(api, '/v1/jobs', tinySpec())).json()) as { id: string };
    const a = api;
    await api.ready(id);
    await api.app.request(`/v1/jobs/${id}/cancel`, { method: 'POST' });
    const view = await waitFor(async () => {
      const v = (await (await a.app.request(`/v1/jobs/${id}`)).json()) as { status: string };
      return v.status === 'cancelled' ? v : undefined;
    });
    expect(view.status).toBe('cancelled');
  });

  it('retries a failed job as attempt 2 and deletes it with all its objects once finished', async () => {
    api = await makeTestApi({ mode: 'exit:1' });
    const { id } = (await (await post(api, '/v1/jobs', tinySpec())).json()) as { id: string };
    const a = api;
    const failed = await waitFor(async () => {
      const v = (await (await a.app.request(`/v1/jobs/${id}`)).json()) as {
        status: string;
        failureReason?: string;
      };
      return v.status === 'failed' ? v : undefined;
    });
    expect(failed.failureReason).toBe('trainer failed (exit 1)');
    const retried = await api.app.request(`/v1/jobs/${id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(202);
    expect(((await retried.json()) as { attempt: number }).attempt).toBe(2);
    await waitFor(async () => {
      const v = (await (await a.app.request(`/v1/jobs/${id}`)).json()) as { status: string; attempt: number };
      return v.status === 'failed' && v.attempt === 2 ? v : undefined;
    });
    expect((await api.app.request(`/v1/jobs/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api.app.request(`/v1/jobs/${id}`)).status).toBe(404);
    expect((await api.keys()).filter((k) => k.includes(id))).toEqual([]);
  });

  it('serves the OpenAPI document covering every route, and Swagger UI over it with local assets', async () => {
    api = await makeTestApi();
    const doc = (await (await api.app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: object }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const registered = api.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(new Set(registered)).toEqual(new Set(documented));
    // The spec is a named schema the body refers to, with an example the reference shows.
    const body = doc.paths['/v1/jobs']?.post as {
      requestBody: { content: { 'application/json': { schema: { $ref: string }; example: object } } };
    };
    const media = body.requestBody.content['application/json'];
    expect(media.schema.$ref).toBe('#/components/schemas/ExperimentSpec');
    expect(Object.keys(doc.components.schemas.ExperimentSpec?.properties ?? {})).toContain('dataset');
    expect(media.example).toMatchObject({ version: 1, loss: { type: 'ldam' } });
    // The reference page is Swagger UI drawing /openapi.json, every asset from this server.
    const docs = await api.app.request('/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    const html = await docs.text();
    expect(html).toContain("url: '/openapi.json'");
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.sort()).toEqual([
      '/docs/assets/swagger-ui-dist/swagger-ui-bundle.js',
      '/docs/assets/swagger-ui-dist/swagger-ui.css',
    ]);
    for (const asset of assets) {
      const response = await api.app.request(asset);
      expect(response.status).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(100_000);
    }
    expect((await api.app.request('/docs/assets/swagger-ui-dist/package.json')).status).toBe(404);
  });
});
