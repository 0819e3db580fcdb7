import type { JobEvent, JobStatus, WriterId } from '../../../trainer/events/types.ts';

// Builds a log: each writer's seq counts from 1; times are one second apart from a fixed origin.
type Entry = JobEvent extends infer E
  ? E extends JobEvent
    ? Omit<E, 'seq' | 'time' | 'writer'> & { writer?: WriterId }
    : never
  : never;
export function log(...entries: Entry[]): JobEvent[] {
  const seqs: Record<WriterId, number> = { api: 0, trainer: 0 };
  return entries.map((entry, i) => {
    const writer = entry.writer ?? (entry.kind === 'metric' ? 'trainer' : 'api');
    seqs[writer] += 1;
    const time = new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString();
    return { ...entry, writer, seq: seqs[writer], time } as JobEvent;
  });
}
export const status = (
  s: JobStatus,
  attempt = 1,
  extra: { reason?: string; exitCode?: number; writer?: WriterId } = {},
) => ({ kind: 'status', status: s, attempt, ...extra }) as const;
export const cancelIntent = (attempt = 1) => ({ kind: 'intent', intent: 'cancel', attempt }) as const;
