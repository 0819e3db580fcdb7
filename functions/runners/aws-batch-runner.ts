// AWS Batch runner: each attempt is one Batch job of the trainer's job definition, which takes the
// job id as a parameter (command ['train', '--job', 'Ref::jobId']). The Batch client is injected.
import {
  type BatchClient,
  DescribeJobsCommand,
  type JobDetail,
  SubmitJobCommand,
  TerminateJobCommand,
} from '@aws-sdk/client-batch';
import { batchJobIdParameter } from '../../trainer/process/contract.ts';
import type { StartedTask, TaskRef, TaskRequest, TaskRunner, TaskStatus } from './task-runner.ts';

/** The part of BatchClient the runner uses, so tests can record the exact commands. */
export type BatchSender = Pick<BatchClient, 'send'>;

export interface AwsBatchRunnerOptions {
  readonly client: BatchSender;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  /** Environment overrides for the container (e.g. the bucket name). */
  readonly env: Readonly<Record<string, string>>;
}

export class AwsBatchRunner implements TaskRunner {
  readonly kind = 'aws-batch';
  readonly device = 'gpu';
  readonly #options: AwsBatchRunnerOptions;

  constructor(options: AwsBatchRunnerOptions) {
    this.#options = options;
  }

  submitCommand(task: TaskRequest): SubmitJobCommand {
    const { resources } = task.spec;
    return new SubmitJobCommand({
      jobName: `ldam-${task.jobId}-attempt-${task.attempt}`,
      jobQueue: this.#options.jobQueue,
      jobDefinition: this.#options.jobDefinition,
      parameters: { [batchJobIdParameter]: task.jobId },
      containerOverrides: {
        environment: Object.entries(this.#options.env).map(([name, value]) => ({ name, value })),
        resourceRequirements: [
          ...(resources.gpus > 0 ? [{ type: 'GPU' as const, value: String(resources.gpus) }] : []),
          { type: 'VCPU' as const, value: String(resources.cpus) },
          { type: 'MEMORY' as const, value: String(resources.memoryGiB * 1024) },
        ],
      },
      // Batch enforces the run limit too, in case no API instance is watching.
      timeout: { attemptDurationSeconds: Math.max(60, resources.timeoutMinutes * 60) },
      tags: { 'ldam:job': task.jobId, 'ldam:attempt': String(task.attempt) },
      propagateTags: true,
    });
  }

  async start(task: TaskRequest): Promise<StartedTask> {
    const result = await this.#options.client.send(this.submitCommand(task));
    if (result.jobId === undefined) throw new Error('AWS Batch SubmitJob returned no job id');
    return { externalId: result.jobId };
  }

  async status(ref: TaskRef): Promise<TaskStatus> {
    if (ref.externalId === undefined) return { state: 'unknown', detail: 'no AWS Batch job id recorded' };
    const result = await this.#options.client.send(new DescribeJobsCommand({ jobs: [ref.externalId] }));
    const job = result.jobs?.[0];
    if (job === undefined) return { state: 'unknown', detail: `AWS Batch has no job ${ref.externalId}` };
    return statusOfBatchJob(job);
  }

  async cancel(ref: TaskRef, reason: string): Promise<void> {
    if (ref.externalId === undefined) return;
    // TerminateJob sends SIGTERM (the trainer checkpoints) and SIGKILL 30 s later; it also
    // cancels jobs that have not started.
    await this.#options.client.send(
      new TerminateJobCommand({ jobId: ref.externalId, reason: reason.slice(0, 256) }),
    );
  }

  async close(): Promise<void> {}
}

export function statusOfBatchJob(job: JobDetail): TaskStatus {
  switch (job.status) {
    case 'SUBMITTED':
    case 'PENDING':
    case 'RUNNABLE':
      return { state: 'pending' };
    case 'STARTING':
      return { state: 'starting' };
    case 'RUNNING':
      return { state: 'running' };
    case 'SUCCEEDED':
      return { state: 'exited', code: 0, signal: null };
    default: {
      const code = job.container?.exitCode ?? job.attempts?.at(-1)?.container?.exitCode;
      if (code !== undefined) return { state: 'exited', code, signal: null };
      // No exit code: the host went away or the job was terminated before starting.
      return {
        state: 'unknown',
        detail: job.statusReason ?? job.container?.reason ?? 'AWS Batch job failed without an exit code',
      };
    }
  }
}
