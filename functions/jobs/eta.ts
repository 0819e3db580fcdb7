// Time left for a running job: the mean duration of the epochs this attempt completed, times the
// epochs still to run.
import type { JobState } from '../../trainer/events/reduce.ts';

export interface Eta {
  readonly remainingSeconds: number;
  readonly completesAt: string;
  readonly secondsPerEpoch: number;
}

export function estimateCompletion(state: JobState, totalEpochs: number, now: Date): Eta | undefined {
  if (state.status !== 'running') return undefined;
  const runningSince = state.transitions.findLast(
    (t) => t.attempt === state.attempt && t.status === 'running',
  )?.time;
  if (runningSince === undefined) return undefined;
  const completions = [...state.epochTimes.entries()]
    .filter(([, time]) => time >= runningSince)
    .sort(([a], [b]) => a - b);
  const last = completions.at(-1);
  if (last === undefined) return undefined;
  // A resumed attempt starts mid-run: count only the epochs it completed itself.
  const firstEpoch = (completions[0]?.[0] ?? 1) - 1;
  const epochsDone = last[0] - firstEpoch;
  const elapsedMs = Date.parse(last[1]) - Date.parse(runningSince);
  if (epochsDone <= 0 || elapsedMs <= 0) return undefined;
  const secondsPerEpoch = elapsedMs / 1000 / epochsDone;
  const remainingFromLast = Math.max(0, totalEpochs - last[0]) * secondsPerEpoch;
  const completesAtMs = Date.parse(last[1]) + remainingFromLast * 1000;
  return {
    remainingSeconds: Math.max(0, Math.round((completesAtMs - now.getTime()) / 1000)),
    completesAt: new Date(completesAtMs).toISOString(),
    secondsPerEpoch,
  };
}
