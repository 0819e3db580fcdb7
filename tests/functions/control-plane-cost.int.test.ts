// What a request costs in store calls as history grows (not a timed test): a submit, a get and a
// list page cost exactly as many calls with 1,000 stored jobs as with 10, and the supervisor's
// timer costs none while a queue waits for the runner. Calls are counted by a wrapper around the
// real local-directory store the app uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFinishedJobs } from '../../bench/api/seed.ts';
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

/** Finished jobs written straight to the store, older than anything submitted, as a long history leaves them. */
async function storeFinishedJobs(count: number): Promise<string[]> {
  const from = new Date(Date.parse('2026-01-01T00:00:00Z') + stored * 1000);
  stored += count;
  return seedFinishedJobs(api.store, { owner: 'local', count, from, spec });
}

async function callsOf(request: () => Response | Promise<Response>): Promise<Record<string, number>> {
  counted.reset();
  const response = await request();
  expect(response.status).toBeLessThan(300);
  await response.arrayBuffer();
  return counted.counts();
}

interface Costs {
  submit: Record<string, number>;
  getQueued: Record<string, number>;
  getFinished: Record<string, number>;
  page: Record<string, number>;
}

// A cursor older than every submitted job and newer than every stored one: its page is the 5
// newest finished jobs, the same kind of page whatever the history behind it (and none of them
// read before, so no record is in the app's memory yet).
const historyCursor = Buffer.from(newJobId(Date.parse('2026-06-01T00:00:00Z'))).toString('base64url');

async function costs(finishedId: string): Promise<Costs> {
  const submit = await callsOf(post);
  const id = ((await (await post()).json()) as { id: string }).id;
  const getQueued = await callsOf(() => api.app.request(`/v1/jobs/${id}`));
  const getFinished = await callsOf(() => api.app.request(`/v1/jobs/${finishedId}`));
  const page = await callsOf(() => api.app.request(`/v1/jobs?limit=5&cursor=${historyCursor}`));
  return { submit, getQueued, getFinished, page };
}

beforeAll(async () => {
  // One sleeping job holds the runner's only slot, so measured submits stay queued.
  api = await makeTestApi({
    mode: 'sleep',
    env: { LDAM_MAX_ACTIVE_JOBS_PER_KEY: '50' },
    wrapStore: (store) => {
      counted = countingStore(store);
      return counted.store;
    },
  });
  expect((await post()).status).toBe(201);
});
afterAll(async () => api.close());

describe('control-plane cost in store calls', () => {
  it('a submit, a get and a list page cost the same calls with 10 and with 1,000 stored jobs', async () => {
    const [oldest] = await storeFinishedJobs(10);
    await post(); // the first submit after history written without an admission index builds it
    const few = await costs(oldest as string);
    const [older] = await storeFinishedJobs(990);
    const many = await costs(older as string);
    expect(many).toEqual(few);
    // And the counts are small: a page of finished jobs is one listing plus two reads per job
    // (record, snapshot); a finished job's get those two and its spec.
    expect(few.page).toEqual({ list: 1, get: 2 * 5 });
    expect(few.getFinished).toEqual({ get: 3 });
    // A page filtered on an active status reads the owner's active index, not the history.
    const queuedPage = await callsOf(() => api.app.request('/v1/jobs?limit=3&status=queued'));
    expect(queuedPage.list).toBeUndefined();
    expect(queuedPage.get ?? 0).toBeLessThanOrEqual(2 * 3);
  }, 240_000);

  it("the supervisor's timer costs no store call while queued jobs wait for the runner", async () => {
    const waiting = await Promise.all(Array.from({ length: 10 }, () => post()));
    expect(waiting.every((r) => r.status === 201)).toBe(true);
    await api.supervisor.start({ pollMs: 20, backstopMs: 60_000 });
    counted.reset();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(counted.total()).toBe(0);
  });
});
