import { describe, expect, it } from 'vitest';
import { AwsBatchRunner } from '../../../functions/runners/aws-batch-runner.ts';
import type { TaskStatus } from '../../../functions/runners/task-runner.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { tinySpec } from '../support.ts';
import { batchClientOverMockedTransport, describeJobsFixture } from './batch-transport.ts';

const runnerOver = (batch: ReturnType<typeof batchClientOverMockedTransport>) =>
  new AwsBatchRunner({
    client: batch.client,
    jobQueue: 'q',
    jobDefinition: 'd',
    env: {},
    attemptTimeoutMinutes: 720,
  });

const runnerFor = (fixture: string) => {
  const batch = batchClientOverMockedTransport(() => describeJobsFixture(fixture));
  return { runner: runnerOver(batch), requests: batch.requests };
};

const ref = { jobId: 'j-abc', attempt: 1, externalId: '6f2c1d9e-8c4b-4f0e-9a41-3b7e5d2a1c00' };

describe('AwsBatchRunner.status on DescribeJobs responses (real BatchClient, mocked HTTP transport)', () => {
  it.each<[string, Partial<TaskStatus> & { state: TaskStatus['state'] }]>([
    // The trainer checkpoints on Batch's timeout SIGTERM and exits 75: still a timeout, not a preemption.
    ['timeout-after-checkpoint', { state: 'timed_out' }],
    ['timeout-killed', { state: 'timed_out' }],
    ['spot-host-terminated', { state: 'reclaimed' }],
    ['spot-interrupted-after-checkpoint', { state: 'reclaimed' }],
    ['spot-draining-killed', { state: 'reclaimed' }],
    ['diverged', { state: 'exited', code: 4 }],
    ['succeeded', { state: 'exited', code: 0 }],
    // Batch's own spot retry put the job back in the queue: still pending, not ended.
    ['runnable-retry-after-reclaim', { state: 'pending' }],
    ['running', { state: 'running' }],
    ['cancelled-before-start', { state: 'unknown' }],
  ])('%s → %o', async (fixture, expected) => {
    const { runner, requests } = runnerFor(fixture);
    const status = await runner.status(ref);
    expect(status).toMatchObject(expected);
    expect(requests).toEqual([{ path: '/v1/describejobs', body: { jobs: [ref.externalId] } }]);
  });

  it('names what Batch said in the timed-out and reclaimed details', async () => {
    expect(await runnerFor('timeout-after-checkpoint').runner.status(ref)).toEqual({
      state: 'timed_out',
      detail: 'AWS Batch: Job attempt duration exceeded timeout',
    });
    expect(await runnerFor('spot-host-terminated').runner.status(ref)).toEqual({
      state: 'reclaimed',
      detail: 'AWS Batch: Host EC2 (instance i-0a1b2c3d4e5f67890) terminated.',
    });
  });

  it('submits with one timeout: the smaller of the spec and the stack attempt limit', async () => {
    const batch = batchClientOverMockedTransport(() => ({ jobId: 'b-1', jobName: 'x', jobArn: 'arn' }));
    const runner = runnerOver(batch);
    // The spec's default 1440 min would override the stack's 720 (the old behaviour).
    const long = parseExperimentSpec(tinySpec({ resources: { gpus: 1 } }));
    const short = parseExperimentSpec(tinySpec({ resources: { gpus: 1, timeoutMinutes: 90 } }));
    await runner.start({ jobId: 'j-1', attempt: 1, spec: long });
    await runner.start({ jobId: 'j-2', attempt: 1, spec: short });
    const timeouts = batch.requests.map((r) => (r.body as { timeout: unknown }).timeout);
    expect(batch.requests.map((r) => r.path)).toEqual(['/v1/submitjob', '/v1/submitjob']);
    expect(timeouts).toEqual([{ attemptDurationSeconds: 720 * 60 }, { attemptDurationSeconds: 90 * 60 }]);
    expect(runner.maxAttemptMinutes).toBe(720);
  });
});
