// Which metric records stand. A run resumed from a checkpoint re-runs the epochs after it, so the
// log (never rewritten) can hold an epoch twice: once from the run that died after logging it and
// once from the resumed run. Readers take each (epoch, key) from the latest run only.

import type { JobEvent, MetricEvent } from './types.ts';

// The trainer's note on resuming (trainer/checkpoint/resume.ts): 'resumed from epoch N[, batch B]'
// with data.completedEpochs = the epochs its checkpoint had completed.
const resumedPrefix = 'resumed from ';

/** The epochs a resume note says the checkpoint had completed, or undefined for other events. */
export function resumedAfterEpoch(event: JobEvent): number | undefined {
  if (event.kind !== 'note' || !event.message.startsWith(resumedPrefix)) return undefined;
  const completed = event.data?.completedEpochs;
  return typeof completed === 'number' && Number.isInteger(completed) && completed >= 0
    ? completed
    : undefined;
}

/**
 * The metric records that stand, in log order: a resume note drops the records of epochs after
 * its checkpoint, and a later record of the same (epoch, key) replaces an earlier one.
 * `events` must keep each writer's seq order (as readEvents returns them).
 */
export function currentMetricRecords(events: readonly JobEvent[]): MetricEvent[] {
  const standing = new Map<string, MetricEvent>();
  for (const event of events) {
    const resumedAfter = resumedAfterEpoch(event);
    if (resumedAfter !== undefined) {
      for (const [id, record] of standing) if (record.epoch > resumedAfter) standing.delete(id);
    } else if (event.kind === 'metric') {
      const id = `${event.epoch}\u0000${event.key}`;
      // Deleting first moves the replacement to the end, so the result stays in log order.
      standing.delete(id);
      standing.set(id, event);
    }
  }
  return [...standing.values()];
}
