// The supervisor over the AWS Batch runner: a real BatchClient with a mocked HTTP transport (no AWS
// here) answering SubmitJob and, per test, a stored DescribeJobs response.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/app.ts';
import { parseApiConfig } from '../../../functions/config.ts';
import { silentLogger } from '../../../functions/http/logger.ts';
import { AwsBatchRunner } from '../../../functions/runners/aws-batch-runner.ts';
import { appendEvents } from '../../../trainer/events/log.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { batchClientOverMockedTransport, describeJobsFixture } from '../runners/batch-transport.ts';
import { tinySpec } from '../support.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function batchApi(options: { attemptTimeoutMinutes?: number; clock?: () => Date } = {}) {
  dir = await mkdtemp(join(tmpdir(), 'ldam-batch-'));
  const store = new LocalDirStore(join(dir, 'store'));
  let describe: string = 'running';
  let submitted = 0;
  const batch = batchClientOverMockedTransport((path) => {
    if (path === '/v1/submitjob') {
      submitted++;
      return { jobId: `batch-${submitted}`, jobName: 'ldam', jobArn: `arn:batch-${submitted}` };
    }
    return describeJobsFixture(describe);
  });
  const runner = new AwsBatchRunner({
    client: batch.client,
    jobQueue: 'q',
    jobDefinition: 'd',
    env: {},
    ...(options.attemptTimeoutMinutes === undefined
      ? {}
      : { attemptTimeoutMinutes: options.attemptTimeoutMinutes }),
  });
  const config = parseApiConfig({ LDAM_RUNNER: 'aws-batch', LDAM_DATA_DIR: join(dir, 'data') }, dir);
  const api = createApp({
    store,
    runner,
    config,
    logger: silentLogger,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const submit = async () => {
    const body = JSON.stringify(tinySpec({ resources: { gpus: 1 } }));
    const response = await api.app.request('/v1/jobs', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const markRunning = (id: string, time: Date) =>
    appendEvents(store, id, 'trainer', [{ kind: 'status', status: 'running', time: time.toISOString() }], {
      attempt: 1,
    });
  return {
    api,
    submit,
    markRunning,
    answer: (fixture: string) => {
      describe = fixture;
    },
    submits: () => batch.requests.filter((r) => r.path === '/v1/submitjob').length,
  };
}

describe('Supervisor over AwsBatchRunner (mocked Batch transport)', () => {
  it("ends a job timed_out when Batch's attempt timeout fired, though the trainer exited 75", async () => {
    const b = await batchApi();
    const id = await b.submit();
    await b.markRunning(id, new Date());
    b.answer('timeout-after-checkpoint');
    const state = await b.api.supervisor.reconcile(id);
    expect(state.status).toBe('timed_out');
    expect(state.attempt).toBe(1);
    expect(b.submits()).toBe(1);
  });

  it('starts the next attempt when the spot host was reclaimed (no exit code)', async () => {
    const b = await batchApi();
    const id = await b.submit();
    await b.markRunning(id, new Date());
    b.answer('spot-host-terminated');
    const state = await b.api.supervisor.reconcile(id);
    expect(state.attempt).toBe(2);
    expect(state.status).toBe('queued');
    expect(b.submits()).toBe(2);
  });

  it("times out at the stack's attempt limit when it is below the spec's timeoutMinutes", async () => {
    let now = Date.now();
    const b = await batchApi({ attemptTimeoutMinutes: 30, clock: () => new Date(now) });
    const id = await b.submit();
    await b.markRunning(id, new Date(now));
    b.answer('running');
    now += 29 * 60_000;
    expect((await b.api.supervisor.reconcile(id)).status).toBe('running');
    now += 2 * 60_000;
    const state = await b.api.supervisor.reconcile(id);
    expect(state.status).toBe('timed_out');
  });
});
