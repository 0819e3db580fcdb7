// What a request costs in store calls as history grows (not a timed test): a submit must not grow
// with the jobs stored, and a list page must cost O(page size) reads with 1,000 stored jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRecords } from '../../functions/jobs/records.ts';
import { appendEvents } from '../../trainer/events/log.ts';
import { parseExperimentSpec } from '../../trainer/spec/index.ts';
import { newJobId } from '../../trainer/store/keys.ts';
import { type CountingStore, countingStore } from './counting-store.ts';
import { makeTestApi, type TestApi, tinySpec } from './support.ts';

let api: TestApi;
let counted: CountingStore;
let stored = 0;
const spec = parseExperimentSpec(tinySpec());
const post = () =>
  api.app.request('/v1/jobs', {
    method: 'POST',
    body: JSON.stringify(tinySpec()),
    headers: { 'Content-Type': 'application/json' },
  });

/** Finished jobs written straight to the store, as a long history leaves them. */
async function storeFinishedJobs(count: number): Promise<void> {
  const records = new JobRecords(api.store);
  const base = Date.parse('2026-01-01T00:00:00Z') + stored * 1000;
  for (let i = 0; i < count; i += 1) {
    const time = new Date(base + i * 1000);
    const id = newJobId(time.getTime());
    await records.create({ id, owner: 'local', createdAt: time.toISOString() }, spec);
    const at = time.toISOString();
    await appendEvents(api.store, id, 'api', [
      { time: at, kind: 'status', status: 'queued', attempt: 1 },
      { time: at, kind: 'status', status: 'starting', attempt: 1 },
    ]);
    await appendEvents(api.store, id, 'trainer', [
      { time: at, kind: 'status', status: 'running', attempt: 1 },
      { time: at, kind: 'status', status: 'succeeded', attempt: 1 },
    ]);
  }
  stored += count;
}

async function callsOf(
  request: () => Response | Promise<Response>,
): Promise<{ reads: number; total: number }> {
  counted.reset();
  const response = await request();
  expect(response.status).toBeLessThan(300);
  await response.arrayBuffer();
  return { reads: counted.reads(), total: counted.total() };
}

beforeAll(async () => {
  // One sleeping job holds the runner's only slot, so measured submits stay queued and nothing
  // runs in the background while their calls are counted.
  api = await makeTestApi({
    mode: 'sleep',
    env: { LDAM_MAX_ACTIVE_JOBS_PER_KEY: '20' },
    wrapStore: (store) => {
      counted = countingStore(store);
      return counted.store;
    },
  });
  expect((await post()).status).toBe(201);
});
afterAll(async () => api.close());

describe('control-plane cost in store calls', () => {
  it('a submit costs the same number of store calls with 10 and with 300 stored jobs', async () => {
    await storeFinishedJobs(10);
    await callsOf(post); // the first submit after new history may seed the owner's admission index
    const few = await callsOf(post);
    await storeFinishedJobs(290);
    const many = await callsOf(post);
    expect(many.total).toBe(few.total);
  });

  it('a list page of 20 costs O(page) store reads with 1,000 stored jobs', async () => {
    await storeFinishedJobs(1000 - stored);
    const page = await callsOf(() => api.app.request('/v1/jobs?limit=20'));
    expect(page.reads).toBeLessThanOrEqual(5 * 20 + 5);
    const next = await callsOf(() => api.app.request('/v1/jobs?limit=20&status=succeeded'));
    expect(next.reads).toBeLessThanOrEqual(5 * 20 + 5);
  });
});
