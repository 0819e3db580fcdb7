// What an AWS Batch job's DescribeJobs record means for the job: pure, so every wording Batch uses
// can be tested. Batch reports why an attempt ended in free text (statusReason, the attempt's
// statusReason, the container's reason); the exit code alone cannot tell a timeout from a
// preemption, since the trainer exits 75 after a checkpoint on either SIGTERM.
import type { AttemptDetail, JobDetail } from '@aws-sdk/client-batch';
import type { TaskStatus } from './task-runner.ts';

/** Batch's text when the attempt ran past `timeout.attemptDurationSeconds` (Batch never retries it). */
export const batchTimeoutPattern = /attempt duration exceeded timeout/i;

/**
 * Texts seen when EC2 takes the instance away: "Host EC2 (instance i-…) terminated." (the rule
 * Batch's own SPOT_INSTANCE_RECLAIMED retry matches), ECS's spot notices ("Your Spot Task was
 * interrupted.", "… interrupted by EC2 spot …"), and the draining or stopped container instance.
 */
export const batchReclaimPatterns: readonly RegExp[] = [
  /^Host EC2\b/i,
  /\bspot\b.*\b(?:interrupt|reclaim|terminat)/i,
  /\b(?:interrupt|reclaim)\w*\b.*\bspot\b/i,
  /container instance .*\b(?:draining|deregistered|terminated|stopped)\b/i,
  /\binstance i-[0-9a-f]+\b.*\b(?:terminated|stopped|retired)\b/i,
];

const lastAttempt = (job: JobDetail): AttemptDetail | undefined => job.attempts?.at(-1);

/** Every reason Batch gave for the job's end, most specific last. */
export function endReasons(job: JobDetail): string[] {
  const attempt = lastAttempt(job);
  return [job.statusReason, attempt?.statusReason, attempt?.container?.reason, job.container?.reason].filter(
    (text): text is string => text !== undefined && text.trim() !== '',
  );
}

/** The runner's view of one Batch job. */
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
    default:
      return endedStatus(job);
  }
}

function endedStatus(job: JobDetail): TaskStatus {
  const reasons = endReasons(job);
  const timeout = reasons.find((text) => batchTimeoutPattern.test(text));
  // Before the exit code: the trainer's exit 75 on Batch's timeout SIGTERM is not a preemption.
  if (timeout !== undefined) return { state: 'timed_out', detail: `AWS Batch: ${timeout}` };
  const code = job.container?.exitCode ?? lastAttempt(job)?.container?.exitCode;
  const reclaim = reasons.find((text) => batchReclaimPatterns.some((pattern) => pattern.test(text)));
  // A reclaimed host kills the container (137) or leaves no code; 75 is the trainer's own checkpointed exit.
  if (reclaim !== undefined && (code === undefined || code === 137 || code === 143 || code === 75))
    return { state: 'reclaimed', detail: `AWS Batch: ${reclaim}` };
  if (code !== undefined) return { state: 'exited', code, signal: null };
  return {
    state: 'unknown',
    detail: reasons[0] ?? 'AWS Batch job failed without an exit code',
  };
}
