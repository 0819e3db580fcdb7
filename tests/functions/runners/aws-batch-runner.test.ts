import { type DescribeJobsCommand, SubmitJobCommand, TerminateJobCommand } from '@aws-sdk/client-batch';
import { describe, expect, it } from 'vitest';
import { AwsBatchRunner, type BatchSender } from '../../../functions/runners/aws-batch-runner.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { tinySpec } from '../support.ts';

// A mocked Batch client: records each command and answers from a function.
function mockBatch(answer: (command: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      return answer(command);
    },
  } as unknown as BatchSender;
  return { client, sent };
}

const spec = parseExperimentSpec(
  tinySpec({ resources: { gpus: 1, cpus: 4, memoryGiB: 16, timeoutMinutes: 90 } }),
);
const options = {
  jobQueue: 'ldam-gpu-queue',
  jobDefinition: 'ldam-trainer:3',
  env: { S3_BUCKET: 'ldam-prod' },
};

describe('AwsBatchRunner (mocked Batch client)', () => {
  it('submits the job definition with the job id parameter, env and resources', async () => {
    const batch = mockBatch(() => ({ jobId: 'batch-123' }));
    const runner = new AwsBatchRunner({ client: batch.client, ...options });
    expect(await runner.start({ jobId: 'j-abc', attempt: 2, spec })).toEqual({ externalId: 'batch-123' });
    const [command] = batch.sent;
    expect(command).toBeInstanceOf(SubmitJobCommand);
    expect((command as SubmitJobCommand).input).toEqual({
      jobName: 'ldam-j-abc-attempt-2',
      jobQueue: 'ldam-gpu-queue',
      jobDefinition: 'ldam-trainer:3',
      parameters: { jobId: 'j-abc' },
      containerOverrides: {
        environment: [{ name: 'S3_BUCKET', value: 'ldam-prod' }],
        resourceRequirements: [
          { type: 'GPU', value: '1' },
          { type: 'VCPU', value: '4' },
          { type: 'MEMORY', value: '16384' },
        ],
      },
      timeout: { attemptDurationSeconds: 5400 },
      tags: { 'ldam:job': 'j-abc', 'ldam:attempt': '2' },
      propagateTags: true,
    });
  });

  it('terminates by the Batch job id on cancel (SIGTERM, then SIGKILL from Batch)', async () => {
    const batch = mockBatch();
    const runner = new AwsBatchRunner({ client: batch.client, ...options });
    await runner.cancel({ jobId: 'j-abc', attempt: 1, externalId: 'batch-123' }, 'cancelled on request');
    expect(batch.sent).toHaveLength(1);
    expect(batch.sent[0]).toBeInstanceOf(TerminateJobCommand);
    expect((batch.sent[0] as TerminateJobCommand).input).toEqual({
      jobId: 'batch-123',
      reason: 'cancelled on request',
    });
  });

  it.each([
    { job: { status: 'RUNNABLE' }, expected: { state: 'pending' } },
    { job: { status: 'STARTING' }, expected: { state: 'starting' } },
    { job: { status: 'RUNNING' }, expected: { state: 'running' } },
    { job: { status: 'SUCCEEDED' }, expected: { state: 'exited', code: 0, signal: null } },
    {
      job: { status: 'FAILED', container: { exitCode: 75 } },
      expected: { state: 'exited', code: 75, signal: null },
    },
    {
      job: { status: 'FAILED', attempts: [{ container: { exitCode: 4 } }] },
      expected: { state: 'exited', code: 4, signal: null },
    },
    {
      job: { status: 'FAILED', statusReason: 'Host EC2 (instance i-1) terminated.' },
      expected: { state: 'reclaimed', detail: 'AWS Batch: Host EC2 (instance i-1) terminated.' },
    },
    {
      job: {
        status: 'FAILED',
        statusReason: 'Job attempt duration exceeded timeout',
        container: { exitCode: 75 },
      },
      expected: { state: 'timed_out', detail: 'AWS Batch: Job attempt duration exceeded timeout' },
    },
    {
      job: { status: 'FAILED', statusReason: 'Cancelled by the operator' },
      expected: { state: 'unknown', detail: 'Cancelled by the operator' },
    },
  ])('maps $job.status to $expected.state', async ({ job, expected }) => {
    const batch = mockBatch(() => ({ jobs: [{ jobId: 'batch-123', ...job }] }));
    const runner = new AwsBatchRunner({ client: batch.client, ...options });
    expect(await runner.status({ jobId: 'j-abc', attempt: 1, externalId: 'batch-123' })).toEqual(expected);
    expect((batch.sent[0] as DescribeJobsCommand).input).toEqual({ jobs: ['batch-123'] });
  });

  it('is unknown without a recorded Batch job id, or when Batch no longer has the job', async () => {
    const batch = mockBatch(() => ({ jobs: [] }));
    const runner = new AwsBatchRunner({ client: batch.client, ...options });
    expect((await runner.status({ jobId: 'j-abc', attempt: 1 })).state).toBe('unknown');
    expect(batch.sent).toHaveLength(0);
    expect((await runner.status({ jobId: 'j-abc', attempt: 1, externalId: 'gone' })).state).toBe('unknown');
  });
});
