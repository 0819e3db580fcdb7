// The lifecycle rules only the API's supervisor applies: what a task's end and the clock mean for a
// job's status. The reducer (trainer/events/reduce.ts) stays beside the events both sides read.
import type { JobState } from '../../trainer/events/reduce.ts';
import type { JobStatus, StatusEvent } from '../../trainer/events/types.ts';
import { ExitCode } from '../../trainer/process/exit-codes.ts';
import type { TaskRunner, TaskStatus } from '../runners/task-runner.ts';

/** A status record to append, before the log assigns writer, seq and time. */
export type StatusRecord = Omit<StatusEvent, 'writer' | 'seq' | 'time'>;

/**
 * How a task ended, as its runner saw it; `lost` = the runner has no record of a started task,
 * `timed-out` = the runner's attempt limit stopped it, `reclaimed` = its host was taken away.
 */
export type TaskExit =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null }
  | { readonly kind: 'timed-out'; readonly detail: string }
  | { readonly kind: 'reclaimed'; readonly detail: string }
  | { readonly kind: 'lost'; readonly detail?: string };

const exitReasons: Partial<Record<number, string>> = {
  [ExitCode.failure]: 'trainer failed (exit 1)',
  [ExitCode.invalidSpec]: 'the trainer rejected the spec (exit 2)',
  [ExitCode.dataError]:
    'data error: dataset missing, corrupt, outside the allowed roots or a class left empty (exit 3)',
  [ExitCode.diverged]: 'diverged: the loss became NaN or infinite (exit 4)',
  [ExitCode.gpuUnavailable]:
    'no usable GPU: device, driver or CUDA libraries missing (exit 5; the log names which)',
  130: 'the trainer stopped on SIGINT without a checkpoint (exit 130)',
};

/**
 * The status record a task's end leads to, or undefined when the job already reached a terminal
 * state (e.g. the trainer wrote `succeeded`, or a timeout was recorded before the kill).
 */
export function exitOutcome(state: JobState, exit: TaskExit): StatusRecord | undefined {
  if (state.terminal || state.attempt === 0) return undefined;
  const attempt = state.attempt;
  const code = exit.kind === 'exited' ? exit.code : null;
  const withCode = code === null ? {} : { exitCode: code };
  if (state.cancelRequested)
    return { kind: 'status', status: 'cancelled', attempt, reason: 'cancelled on request', ...withCode };
  if (exit.kind === 'lost') {
    const detail = exit.detail ?? 'the runner has no record of it';
    return { kind: 'status', status: 'failed', attempt, reason: `trainer process lost: ${detail}` };
  }
  // Whatever the trainer's exit code (75 after its SIGTERM checkpoint), a timeout is final.
  if (exit.kind === 'timed-out') return { kind: 'status', status: 'timed_out', attempt, reason: exit.detail };
  if (exit.kind === 'reclaimed') {
    const reason = `${exit.detail}; resuming from the last checkpoint as attempt ${attempt + 1}`;
    return { kind: 'status', status: 'queued', attempt: attempt + 1, reason };
  }
  if (code === ExitCode.interrupted) {
    // Preempted after a checkpoint: not a failure; the next attempt resumes from the checkpoint.
    const reason = `interrupted after a checkpoint (exit 75); resuming as attempt ${attempt + 1}`;
    return { kind: 'status', status: 'queued', attempt: attempt + 1, reason, exitCode: code };
  }
  if (code === ExitCode.ok) return { kind: 'status', status: 'succeeded', attempt, exitCode: code };
  if (code === null)
    return {
      kind: 'status',
      status: 'failed',
      attempt,
      reason: `trainer process died (signal ${exit.signal ?? 'unknown'})`,
    };
  const reason = exitReasons[code] ?? `trainer exited with code ${code}`;
  return { kind: 'status', status: 'failed', attempt, reason, exitCode: code };
}

export interface TimeoutLimits {
  readonly queueTimeoutMinutes: number;
  readonly timeoutMinutes: number;
}

function sinceLast(state: JobState, status: JobStatus): string | undefined {
  return state.transitions.findLast((t) => t.attempt === state.attempt && t.status === status)?.time;
}

/** The `timed_out` record due at `now`, if the current attempt waited or ran past its limit. */
export function timeoutDue(state: JobState, limits: TimeoutLimits, now: Date): StatusRecord | undefined {
  if (state.terminal || state.attempt === 0) return undefined;
  const waiting = state.status === 'queued' || state.status === 'starting';
  const since = waiting ? sinceLast(state, 'queued') : sinceLast(state, 'running');
  if (since === undefined) return undefined;
  const minutes = waiting ? limits.queueTimeoutMinutes : limits.timeoutMinutes;
  if (now.getTime() - Date.parse(since) <= minutes * 60_000) return undefined;
  const reason = waiting
    ? `waited more than ${minutes} min (resources.queueTimeoutMinutes) to start`
    : `ran more than ${minutes} min (resources.timeoutMinutes)`;
  return { kind: 'status', status: 'timed_out', attempt: state.attempt, reason };
}

/** One attempt's limits: the spec's, or the runner's own attempt limit when that is smaller (AWS Batch). */
export function attemptLimits(
  limits: TimeoutLimits,
  runner: Pick<TaskRunner, 'maxAttemptMinutes'>,
): TimeoutLimits {
  const { maxAttemptMinutes } = runner;
  if (maxAttemptMinutes === undefined || maxAttemptMinutes >= limits.timeoutMinutes) return limits;
  return { queueTimeoutMinutes: limits.queueTimeoutMinutes, timeoutMinutes: maxAttemptMinutes };
}

export function taskExitOf(
  status: Exclude<TaskStatus, { state: 'pending' | 'starting' | 'running' }>,
): TaskExit {
  switch (status.state) {
    case 'exited':
      return { kind: 'exited', code: status.code, signal: status.signal };
    case 'timed_out':
      return { kind: 'timed-out', detail: status.detail };
    case 'reclaimed':
      return { kind: 'reclaimed', detail: status.detail };
    case 'unknown':
      return { kind: 'lost', ...(status.detail === undefined ? {} : { detail: status.detail }) };
  }
}
