// Reading the event log after a position: each writer's events in seq order (never repeating or
// skipping one), merged across writers by time, plus the position to continue from.

import type { Store } from '../store/store.ts';
import { type ChunkRef, decodeChunk, listChunks, writerIds } from './chunks.ts';
import type { JobEvent, LogPosition, WriterId } from './types.ts';

export interface EventsRead {
  readonly events: JobEvent[];
  /** The position after these events (unchanged writers keep their previous seq). */
  readonly position: LogPosition;
}

/** A writer's events after `after`, stopping at a gap so a later read can pick up from there. */
async function readWriter(store: Store, refs: readonly ChunkRef[], after: number): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  let expected = after + 1;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i] as ChunkRef;
    const next = refs[i + 1];
    // A chunk ends where the next one starts, so chunks wholly before the position are not fetched.
    if (next !== undefined && next.firstSeq - 1 <= after) continue;
    if (ref.firstSeq > expected) break;
    for (const event of decodeChunk(ref, await store.get(ref.key))) {
      if (event.seq < expected) continue;
      if (event.seq > expected) return events;
      events.push(event);
      expected++;
    }
  }
  return events;
}

/** Merges per-writer sequences by time, keeping each writer's own order (ties: writer, then seq). */
export function mergeByTime(streams: readonly JobEvent[][]): JobEvent[] {
  const cursors = streams.map(() => 0);
  const merged: JobEvent[] = [];
  for (;;) {
    let best = -1;
    let bestEvent: JobEvent | undefined;
    streams.forEach((stream, s) => {
      const candidate = stream[cursors[s] as number];
      if (candidate === undefined) return;
      if (
        bestEvent === undefined ||
        candidate.time < bestEvent.time ||
        (candidate.time === bestEvent.time && candidate.writer < bestEvent.writer)
      ) {
        best = s;
        bestEvent = candidate;
      }
    });
    if (bestEvent === undefined) return merged;
    merged.push(bestEvent);
    cursors[best] = (cursors[best] as number) + 1;
  }
}

export async function readEvents(store: Store, jobId: string, after: LogPosition = {}): Promise<EventsRead> {
  const chunks = await listChunks(store, jobId);
  const perWriter = await Promise.all(
    writerIds.map((writer) => readWriter(store, chunks.get(writer) ?? [], after[writer] ?? 0)),
  );
  const position: { -readonly [W in WriterId]?: number } = { ...after };
  writerIds.forEach((writer, i) => {
    const last = perWriter[i]?.at(-1);
    if (last !== undefined) position[writer] = last.seq;
  });
  return { events: mergeByTime(perWriter), position };
}
