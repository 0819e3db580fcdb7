// What becomes of an attempt whose task the runner no longer knows (the server was killed, the
// host rebooted, a container vanished): resume it as a new attempt from its last checkpoint while
// the spec's retry budget (resources.maxAttempts) lasts, else fail saying why.
import { latestPointerKey } from '../../trainer/checkpoint/index.ts';
import type { JobState } from '../../trainer/events/reduce.ts';
import type { Store } from '../../trainer/store/store.ts';
import { getIfPresent } from '../../trainer/store/write-once.ts';
import type { StatusRecord } from './lifecycle.ts';

export interface LostTask {
  /** What the runner said about the task, e.g. "the runner has no record of it". */
  readonly detail?: string;
  /** The epoch of the job's latest checkpoint, or undefined when it has none yet. */
  readonly checkpointEpoch: number | undefined;
  readonly maxAttempts: number;
}

/** The status record for a lost task of a running attempt (undefined when nothing is due). */
export function lostTaskOutcome(state: JobState, lost: LostTask): StatusRecord | undefined {
  if (state.terminal || state.attempt === 0) return undefined;
  const attempt = state.attempt;
  const detail = lost.detail ?? 'the runner has no record of it';
  if (state.cancelRequested)
    return {
      kind: 'status',
      status: 'cancelled',
      attempt,
      reason: `cancelled on request (task lost: ${detail})`,
    };
  if (attempt >= lost.maxAttempts)
    return {
      kind: 'status',
      status: 'failed',
      attempt,
      reason: `trainer process lost (${detail}) on attempt ${attempt} of ${lost.maxAttempts} (resources.maxAttempts): not resumed`,
    };
  const from =
    lost.checkpointEpoch === undefined
      ? 'from the start (no checkpoint yet)'
      : `from the checkpoint of epoch ${lost.checkpointEpoch}`;
  return {
    kind: 'status',
    status: 'queued',
    attempt: attempt + 1,
    reason: `trainer process lost (${detail}); resuming ${from} as attempt ${attempt + 1} of at most ${lost.maxAttempts}`,
  };
}

/** The epoch of the job's latest checkpoint (its latest.json pointer), or undefined when it has none. */
export async function latestCheckpointEpoch(store: Store, jobId: string): Promise<number | undefined> {
  const pointer = await getIfPresent(store, latestPointerKey(jobId));
  if (pointer === undefined) return undefined;
  const { epoch } = JSON.parse(Buffer.from(pointer).toString('utf8')) as { epoch?: unknown };
  return typeof epoch === 'number' ? epoch : undefined;
}
