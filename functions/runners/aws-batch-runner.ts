// AWS Batch runner: each attempt is one Batch job of the trainer's job definition, which takes the
// job id as a parameter (command ['train', '--job', 'Ref::jobId']). The Batch client is injected.
import {
  type BatchClient,
  DescribeJobsCommand,
  SubmitJobCommand,
  TerminateJobCommand,
} from '@aws-sdk/client-batch';
import { batchJobIdParameter } from '../../trainer/process/contract.ts';
import { statusOfBatchJob } from './batch-job-status.ts';
import type { StartedTask, TaskRef, TaskRequest, TaskRunner, TaskStatus } from './task-runner.ts';

export { statusOfBatchJob } from './batch-job-status.ts';

/** The part of BatchClient the runner uses, so tests can record the exact commands. */
export type BatchSender = Pick<BatchClient, 'send'>;

export interface AwsBatchRunnerOptions {
  readonly client: BatchSender;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  /** Environment overrides for the container (e.g. the bucket name). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The stack's limit on one attempt (its job definition's timeout), in minutes: a job's attempt
   * runs for the smaller of it and the spec's `resources.timeoutMinutes`.
   * @default no stack limit (the spec's alone)
   */
  readonly attemptTimeoutMinutes?: number;
}

/** Batch rejects attempt timeouts under 60 s. */
const minimumAttemptSeconds = 60;

/** One timeout: min(spec `resources.timeoutMinutes`, the stack's `attemptTimeoutMinutes`), in seconds. */
export function attemptDurationSeconds(specMinutes: number, stackMinutes: number | undefined): number {
  const minutes = stackMinutes === undefined ? specMinutes : Math.min(specMinutes, stackMinutes);
  return Math.max(minimumAttemptSeconds, minutes * 60);
}

export class AwsBatchRunner implements TaskRunner {
  readonly kind = 'aws-batch';
  readonly device = 'gpu';
  readonly maxAttemptMinutes?: number;
  readonly #options: AwsBatchRunnerOptions;

  constructor(options: AwsBatchRunnerOptions) {
    this.#options = options;
    if (options.attemptTimeoutMinutes !== undefined) this.maxAttemptMinutes = options.attemptTimeoutMinutes;
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
      timeout: {
        attemptDurationSeconds: attemptDurationSeconds(
          resources.timeoutMinutes,
          this.#options.attemptTimeoutMinutes,
        ),
      },
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
