// What the supervisor's timer decides without reading the store: whether the runner's word on a
// task, or the clock, disagrees with the state last seen for its job. Only those jobs are
// reconciled (a store read and maybe an append); a queue of jobs waiting for a slot costs nothing.
import type { JobState } from '../../trainer/events/reduce.ts';
import type { LogPosition } from '../../trainer/events/types.ts';
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

export const samePosition = (a: LogPosition, b: LogPosition): boolean =>
  (a.api ?? 0) === (b.api ?? 0) && (a.trainer ?? 0) === (b.trainer ?? 0);

/** The timer's two periods: the cheap comparison, and the backstop that re-reads every watched job. */
export interface WatchTimes {
  readonly pollMs: number;
  /** Default 60 s. */
  readonly backstopMs?: number;
}

/** Runs a turn every `pollMs`, a backstop turn once `backstopMs` has passed; turns never overlap. */
export class WatchTimer {
  readonly #turn: (backstop: boolean) => Promise<void>;
  #timer: NodeJS.Timeout | undefined;
  #turning = false;
  #lastBackstop = Date.now();

  constructor(turn: (backstop: boolean) => Promise<void>) {
    this.#turn = turn;
  }

  start(times: WatchTimes | number): void {
    const { pollMs, backstopMs = 60_000 } = typeof times === 'number' ? { pollMs: times } : times;
    this.stop();
    this.#timer = setInterval(() => void this.#tick(backstopMs), pollMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(backstopMs: number): Promise<void> {
    if (this.#turning) return;
    this.#turning = true;
    const backstop = Date.now() - this.#lastBackstop >= backstopMs;
    if (backstop) this.#lastBackstop = Date.now();
    try {
      await this.#turn(backstop);
    } finally {
      this.#turning = false;
    }
  }
}
