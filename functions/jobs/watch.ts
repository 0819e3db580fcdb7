// What the supervisor's timer decides without reading the store: whether the runner's word on a
// task, or the clock, disagrees with the state last seen for its job. Only those jobs are
// reconciled (a store read and maybe an append); a queue of jobs waiting for a slot costs nothing.
import type { JobState } from '../../trainer/events/reduce.ts';
import type { TaskStatus } from '../runners/task-runner.ts';
import { type TimeoutLimits, timeoutDue } from './lifecycle.ts';

/**
 * True when reconciling the job could change something: its task ended or vanished, it started
 * while the state says queued, or a queue or run limit has passed. A state seen before the trainer
 * wrote `running` may time out early here; the reconcile re-reads the job before deciding.
 */
export function needsReconcile(
  seen: JobState,
  status: TaskStatus,
  limits: TimeoutLimits,
  now: Date,
): boolean {
  if (seen.terminal || seen.attempt === 0) return true;
  if (timeoutDue(seen, limits, now) !== undefined) return true;
  switch (status.state) {
    case 'pending':
      return false;
    case 'starting':
    case 'running':
      return seen.status === 'queued';
    default:
      return true;
  }
}
