// Requests racing a delete over real HTTP: whatever wins, no route answers 500, and a deleted job
// stays deleted (a retry that loses the race writes nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Listening, listen } from './http-server.ts';
import { makeTestApi, type TestApi, tinySpec, waitFor } from './support.ts';

let api: TestApi;
let server: Listening;
beforeAll(async () => {
  api = await makeTestApi({ mode: 'exit:1', env: { LDAM_MAX_ACTIVE_JOBS_PER_KEY: '50' } });
  server = await listen(api);
});
afterAll(async () => {
  await server.close();
  await api.close();
});

const call = async (method: string, path: string) => {
  const response = await fetch(`${server.url}${path}`, { method });
  await response.arrayBuffer();
  return response.status;
};

async function failedJob(): Promise<string> {
  const response = await fetch(`${server.url}/v1/jobs`, {
    method: 'POST',
    body: JSON.stringify(tinySpec()),
    headers: { 'Content-Type': 'application/json' },
  });
  const { id } = (await response.json()) as { id: string };
  await waitFor(async () => ((await api.service.get('local', id)).status === 'failed' ? true : undefined));
  return id;
}

describe('store races', () => {
  it('maps retry, reads and delete racing each other to 2xx/404/409, never 500', async () => {
    const seen = new Set<number>();
    for (let round = 0; round < 8; round += 1) {
      const id = await failedJob();
      const base = `/v1/jobs/${id}`;
      const statuses = await Promise.all([
        call('POST', `${base}/retry`),
        call('DELETE', base),
        call('GET', base),
        call('GET', `${base}/events`),
        call('GET', `${base}/logs`),
        call('DELETE', base),
        call('GET', `${base}/artifacts`),
      ]);
      for (const status of statuses) seen.add(status);
      expect(statuses.filter((s) => ![200, 202, 204, 404, 409].includes(s))).toEqual([]);
      if (statuses.includes(204)) {
        await api.supervisor.settle();
        expect(await call('GET', base)).toBe(404);
        expect((await api.keys()).filter((k) => k.startsWith(`runs/${id}/job.json`))).toEqual([]);
      }
    }
    expect(seen.has(204)).toBe(true);
  });
});
