// Cross-field checks of the stack's settings, as pure functions returning readable problems, so a
// bad combination fails at synth instead of leaving jobs RUNNABLE forever on AWS.
import { gpuInstances, schedulableMemoryFraction } from './gpu-instances.ts';

export type JobResources = { readonly vcpus: number; readonly memoryMiB: number; readonly gpus: number };

export type ComputeSettings = {
  readonly instanceTypes: readonly string[];
  readonly maxvCpus: number;
  readonly spotBidPercentage: number;
  readonly job: JobResources;
};

/** Problems that would leave a job unschedulable or the compute environments invalid. */
export function computeProblems(settings: ComputeSettings): string[] {
  const problems: string[] = [];
  if (settings.instanceTypes.length === 0) problems.push('at least one GPU instance type is needed');
  const unknown = settings.instanceTypes.filter((type) => gpuInstances[type] === undefined);
  if (unknown.length > 0) {
    problems.push(`not known GPU instance types: ${unknown.join(', ')} (infra/lib/gpu-instances.ts)`);
  }
  if (
    !Number.isInteger(settings.spotBidPercentage) ||
    settings.spotBidPercentage < 1 ||
    settings.spotBidPercentage > 100
  ) {
    problems.push(`spotBidPercentage must be an integer in 1..100, got ${settings.spotBidPercentage}`);
  }
  const { job } = settings;
  if (job.gpus < 1) problems.push('a trainer job needs at least one GPU');
  if (settings.maxvCpus < job.vcpus) {
    problems.push(`maxvCpus ${settings.maxvCpus} is below the ${job.vcpus} vCPUs one job needs`);
  }
  const fitting = settings.instanceTypes.filter((type) => fits(job, type));
  if (unknown.length === 0 && settings.instanceTypes.length > 0 && fitting.length === 0) {
    problems.push(
      `no instance type fits a job of ${job.vcpus} vCPUs, ${job.memoryMiB} MiB, ${job.gpus} GPU ` +
        `(memory counts at ${schedulableMemoryFraction * 100}% of the instance's)`,
    );
  }
  const smallest = Math.min(
    ...settings.instanceTypes.map((type) => gpuInstances[type]?.vcpus ?? Number.POSITIVE_INFINITY),
  );
  if (Number.isFinite(smallest) && settings.maxvCpus < smallest) {
    problems.push(
      `maxvCpus ${settings.maxvCpus} cannot launch even the smallest instance (${smallest} vCPUs)`,
    );
  }
  return problems;
}

function fits(job: JobResources, type: string): boolean {
  const instance = gpuInstances[type];
  if (instance === undefined) return false;
  const memoryMiB = instance.memoryGiB * 1024 * schedulableMemoryFraction;
  return job.vcpus <= instance.vcpus && job.memoryMiB <= memoryMiB && job.gpus <= instance.gpus;
}

export type JobPolicySettings = {
  /** Minutes a job may wait RUNNABLE at the head of the queue before it is cancelled. */
  readonly runnableTimeoutMinutes: number;
  readonly attempts: number;
  /** Wall-clock limit of one attempt, in minutes. */
  readonly attemptTimeoutMinutes: number;
  /** Seconds the trainer takes between SIGTERM and exit. */
  readonly graceSeconds: number;
};

/** AWS Batch's own limits plus the trainer's shutdown contract. */
export function jobPolicyProblems(settings: JobPolicySettings): string[] {
  const problems: string[] = [];
  const runnableSeconds = settings.runnableTimeoutMinutes * 60;
  // Batch's jobStateTimeLimitActions accept 600..86400 s.
  if (
    !Number.isInteger(settings.runnableTimeoutMinutes) ||
    runnableSeconds < 600 ||
    runnableSeconds > 86_400
  ) {
    problems.push(
      `runnableTimeoutMinutes must be an integer in 10..1440, got ${settings.runnableTimeoutMinutes}`,
    );
  }
  if (!Number.isInteger(settings.attempts) || settings.attempts < 1 || settings.attempts > 10) {
    problems.push(`attempts must be an integer in 1..10, got ${settings.attempts}`);
  }
  // Batch rejects attempt timeouts under 60 s.
  if (!Number.isInteger(settings.attemptTimeoutMinutes) || settings.attemptTimeoutMinutes < 1) {
    problems.push(`attemptTimeoutMinutes must be a positive integer, got ${settings.attemptTimeoutMinutes}`);
  }
  // Batch sends SIGKILL 30 s after SIGTERM: the trainer must be done checkpointing before that.
  if (settings.graceSeconds <= 0 || settings.graceSeconds >= 30) {
    problems.push(
      `graceSeconds must be in 1..29 (Batch kills 30 s after SIGTERM), got ${settings.graceSeconds}`,
    );
  }
  return problems;
}

const s3Arn = /^arn:aws(?:-[a-z]+)*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

export type S3Location = { readonly partition: string; readonly bucket: string; readonly prefix: string };

/** `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/prefix` (a trailing `/` or `/*` is ignored). */
export function parseS3Arn(arn: string): S3Location | undefined {
  const match = s3Arn.exec(arn);
  if (match?.[1] === undefined) return undefined;
  const partition = arn.split(':')[1] ?? 'aws';
  const prefix = (match[2] ?? '').replace(/\/?\*?$/, '').replace(/\/+$/, '');
  if (prefix.includes('*')) return undefined;
  return { partition, bucket: match[1], prefix };
}

/** Dataset locations must be S3 bucket or prefix ARNs without inner wildcards. */
export function datasetLocationProblems(arns: readonly string[]): string[] {
  return arns
    .filter((arn) => parseS3Arn(arn) === undefined)
    .map((arn) => `dataset location ${arn} is not an S3 ARN like arn:aws:s3:::bucket/prefix`);
}

/** Throws one error listing every problem, so a bad configuration is fixed in one round. */
export function assertNoProblems(what: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`${what}:\n  - ${problems.join('\n  - ')}`);
}
