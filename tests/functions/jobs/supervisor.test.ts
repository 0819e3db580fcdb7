import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/app.ts';
import { parseApiConfig } from '../../../functions/config.ts';
import { silentLogger } from '../../../functions/http/logger.ts';
import { appendEvents } from '../../../trainer/events/log.ts';
import {
  makeTestApi,
  processAlive,
  readUntil,
  standInRunner,
  type TestApi,
  tinySpec,
  waitFor,
} from '../support.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function submit(a: TestApi, spec = tinySpec()): Promise<string> {
  const response = await a.app.request('/v1/jobs', {
    method: 'POST',
    body: JSON.stringify(spec),
    headers: { 'Content-Type': 'application/json' },
  });
  return ((await response.json()) as { id: string }).id;
}

type View = {
  status: string;
  attempt: number;
  failureReason?: string;
  exitCode?: number;
  transitions: { status: string; attempt: number }[];
};
const view = async (a: { app: TestApi['app'] }, id: string) =>
  (await (await a.app.request(`/v1/jobs/${id}`)).json()) as View;
const until = (a: TestApi, id: string, ok: (v: View) => boolean) => readUntil(() => view(a, id), ok);

describe('Supervisor (local runner, stand-in trainer)', () => {
  it('re-runs a preempted attempt (exit 75) as the next attempt, not a failure', async () => {
    api = await makeTestApi({ mode: 'preempt-once' });
    const id = await submit(api);
    const done = await until(api, id, (v) => v.status === 'succeeded');
    expect(done.attempt).toBe(2);
    expect(done.transitions.map((t) => `${t.status}@${t.attempt}`)).toEqual([
      'queued@1',
      'starting@1',
      'queued@2',
      'starting@2',
      'succeeded@2',
    ]);
  });

  it('times out a job past resources.timeoutMinutes and stops its process', async () => {
    let now = Date.now();
    api = await makeTestApi({ mode: 'sleep', clock: () => new Date(now) });
    const id = await submit(api, tinySpec({ resources: { gpus: 0, timeoutMinutes: 1 } }));
    await api.ready(id);
    // The stand-in does not write `running`; the trainer does. Record it as the trainer would.
    await appendEvents(
      api.store,
      id,
      'trainer',
      [{ kind: 'status', status: 'running', time: new Date(now).toISOString() }],
      { attempt: 1 },
    );
    const pid = api.runner.pidOf(id) as number;
    now += 61_000;
    const v = await until(api, id, (x) => x.status === 'timed_out');
    expect(v.failureReason).toMatch(/ran more than 1 min/);
    const a = api;
    await waitFor(async () => (a.runner.pidOf(id) === undefined ? true : undefined));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('times out a job that waits in the queue past resources.queueTimeoutMinutes', async () => {
    let now = Date.now();
    api = await makeTestApi({ mode: 'sleep', clock: () => new Date(now) });
    const blocker = await submit(api);
    const waiting = await submit(api, tinySpec({ resources: { gpus: 0, queueTimeoutMinutes: 2 } }));
    expect((await view(api, waiting)).status).toBe('queued');
    now += 121_000;
    const v = await until(api, waiting, (x) => x.status === 'timed_out');
    expect(v.failureReason).toMatch(/waited more than 2 min/);
    expect((await view(api, blocker)).status).toBe('starting');
  });

  /** A second API over the same store, as after a server crash: its runner never heard of the task. */
  const restartedApi = (a: TestApi) => {
    const runner = standInRunner(a.dir, undefined, 500);
    return {
      runner,
      app: createApp({ store: a.store, runner, config: parseApiConfig({}, a.dir), logger: silentLogger }),
    };
  };
  it('resumes a job whose task was lost (server crash) as a new attempt, after killing the old trainer', async () => {
    api = await makeTestApi({ mode: 'sleep' });
    const id = await submit(api);
    await api.ready(id);
    const pid = Number(readFileSync(join(api.dir, `ready-${id}`), 'utf8'));
    const first = api;
    // The pid is recorded just after the spawn; a crash before that leaves only the store's fence.
    await waitFor(async () => ((await first.supervisor.load(id)).state.task?.externalId ? true : undefined));
    // The first server "crashes": it launches nothing more (its process stays, as a killed server's trainer may).
    api.supervisor.drain();
    const restarted = restartedApi(api);
    const v = await view(restarted.app, id);
    // One run, one writer: the old trainer is gone before attempt 2 is handed to the runner.
    expect(await processAlive(pid)).toBe(false);
    expect(v.attempt).toBe(2);
    const requeued = v.transitions.find((t) => t.attempt === 2) as { reason?: string };
    expect(requeued.reason).toMatch(
      /^trainer process lost \(.+\); resuming from the start \(no checkpoint yet\) as attempt 2 of at most 3$/,
    );
    const done = await waitFor(async () => {
      const now = await view(restarted.app, id);
      return now.status === 'succeeded' ? now : undefined;
    });
    expect(done.transitions.map((t) => `${t.attempt}:${t.status}`)).toEqual(
      expect.arrayContaining(['1:queued', '1:starting', '2:queued', '2:succeeded']),
    );
    await restarted.runner.close();
  });

  it('launches nothing once stopped: a trainer that exits 75 meanwhile leaves its job queued as the next attempt', async () => {
    const errors: string[] = [];
    const logger = {
      info: () => undefined,
      error: (m: string, f?: object) => errors.push(`${m} ${JSON.stringify(f)}`),
    };
    api = await makeTestApi({ mode: 'sleep', logger });
    const running = await submit(api);
    const waiting = await submit(api); // behind the runner's one slot
    await api.ready(running);
    // A shutdown as the test and benchmark stacks do it: stop, close the runner (SIGTERM: exit 75), settle.
    api.supervisor.stop();
    await api.runner.close();
    await api.supervisor.settle();
    const preempted = await view(api, running);
    expect(preempted.transitions.map((t) => `${t.status}@${t.attempt}`)).toEqual([
      'queued@1',
      'starting@1',
      'queued@2',
    ]);
    expect((await view(api, waiting)).transitions.map((t) => `${t.status}@${t.attempt}`)).toEqual([
      'queued@1',
    ]);
    // Nothing was handed to the closed runner (it would have refused, and the reconcile failed).
    expect(errors).toEqual([]);
    expect((await api.runner.status({ jobId: running, attempt: 2 })).state).toBe('unknown');
  });

  it('fails a job whose trainer was killed, with the signal in the reason', async () => {
    api = await makeTestApi({ mode: 'sleep' });
    const id = await submit(api);
    await api.ready(id);
    process.kill(api.runner.pidOf(id) as number, 'SIGKILL');
    const v = await until(api, id, (x) => x.status === 'failed');
    expect(v.failureReason).toBe('trainer process died (signal SIGKILL)');
  });
});
