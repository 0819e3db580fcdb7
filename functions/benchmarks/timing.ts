import type { JobTransition } from '../../trainer/events/reduce.ts';

// A job's wall time on its device: from each attempt's `running` to the attempt's next transition
// (its end, or the re-queue of a resumed attempt), summed over attempts; queueing is not counted.

/** Seconds spent running, or null if the job never ran; an attempt still running counts up to `now`. */
export function runningSecondsOf(transitions: readonly JobTransition[], now: Date): number | null {
  let total = 0;
  let ran = false;
  transitions.forEach((t, i) => {
    if (t.status !== 'running') return;
    ran = true;
    const end = transitions[i + 1]?.time;
    const endMs = end === undefined ? now.getTime() : Date.parse(end);
    total += Math.max(0, endMs - Date.parse(t.time)) / 1000;
  });
  return ran ? total : null;
}
