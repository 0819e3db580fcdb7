// A job's current state kept beside its log (runs/<jobId>/state.json) with the log position it
// reflects, so reading a job costs a few store calls however long its history: the snapshot, then
// one probe per writer for the chunk after the position (chunk keys are named by their first seq,
// so the next one's key is known without listing). Every writer refreshes it after a chunk lands
// with a compare-and-swap, so a slower writer never puts an older state over a newer one; a
// writer that died between its chunk and the swap only leaves the snapshot behind, and the next
// reader or writer folds the missing chunks from the position on.
import { runKey } from '../store/keys.ts';
import { jsonContentType } from '../store/run-layout.ts';
import type { Store } from '../store/store.ts';
import { getIfPresent } from '../store/write-once.ts';
import { chunkKey, decodeChunk, writerIds } from './chunks.ts';
import { mergeByTime, readEvents } from './reader.ts';
import { emptyJobState, foldJobState, type JobState, reduceJobState } from './reduce.ts';
import type { JobEvent, LogPosition, WriterId } from './types.ts';

export interface JobSnapshot {
  /** The last seq of each writer that `state` reflects. */
  readonly position: LogPosition;
  readonly state: JobState;
}

export const snapshotKey = (jobId: string): string => runKey(jobId, 'state.json');
const emptySnapshot: JobSnapshot = { position: {}, state: emptyJobState };
const maxSwaps = 50;

export function encodeSnapshot(snapshot: JobSnapshot): string {
  const { state } = snapshot;
  const body = { ...state, epochTimes: [...state.epochTimes.entries()] };
  return `${JSON.stringify({ version: 1, position: snapshot.position, state: body })}\n`;
}

/** The snapshot in `bytes`, or undefined when it is not one this code wrote (it is rebuilt from the log). */
export function decodeSnapshot(bytes: Uint8Array): JobSnapshot | undefined {
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
      version?: unknown;
      position?: LogPosition;
      state?: Omit<JobState, 'epochTimes'> & { epochTimes?: [number, string][] };
    };
    const { state, position } = value;
    if (value.version !== 1 || typeof position !== 'object' || position === null) return undefined;
    if (typeof state !== 'object' || state === null || !Array.isArray(state.epochTimes)) return undefined;
    if (typeof state.status !== 'string' || !Number.isInteger(state.attempt)) return undefined;
    return {
      position,
      state: { ...emptyJobState, ...state, epochTimes: new Map(state.epochTimes) },
    };
  } catch {
    return undefined;
  }
}

/** A writer's events after `after`, chunk by chunk, until the next chunk is not there. */
async function probeWriter(store: Store, jobId: string, writer: WriterId, after: number) {
  const events: JobEvent[] = [];
  let last = after;
  for (;;) {
    const ref = { key: chunkKey(jobId, writer, last + 1), writer, firstSeq: last + 1 };
    const bytes = await getIfPresent(store, ref.key);
    if (bytes === undefined) return events;
    const chunk = decodeChunk(ref, bytes);
    if (chunk.length === 0) return events;
    events.push(...chunk);
    last += chunk.length;
  }
}

/** The snapshot folded forward over every chunk stored after its position; `changed` when any was. */
export async function catchUp(
  store: Store,
  jobId: string,
  snapshot: JobSnapshot,
): Promise<{ snapshot: JobSnapshot; changed: boolean }> {
  const perWriter = await Promise.all(
    writerIds.map((w) => probeWriter(store, jobId, w, snapshot.position[w] ?? 0)),
  );
  if (perWriter.every((events) => events.length === 0)) return { snapshot, changed: false };
  const position: { -readonly [W in WriterId]?: number } = { ...snapshot.position };
  writerIds.forEach((w, i) => {
    const last = perWriter[i]?.at(-1);
    if (last !== undefined) position[w] = last.seq;
  });
  const state = foldJobState(snapshot.state, mergeByTime(perWriter));
  if (state !== undefined) return { snapshot: { position, state }, changed: true };
  // A resume superseded metric values the snapshot no longer holds: replay the log once.
  const whole = await readEvents(store, jobId, {});
  return { snapshot: { position: whole.position, state: reduceJobState(whole.events) }, changed: true };
}

/** The stored snapshot, or the empty one when there is none (a job written before snapshots). */
export async function readSnapshot(store: Store, jobId: string): Promise<JobSnapshot> {
  const bytes = await getIfPresent(store, snapshotKey(jobId));
  return (bytes === undefined ? undefined : decodeSnapshot(bytes)) ?? emptySnapshot;
}

/**
 * The job's current snapshot, without writing. A terminal snapshot is taken as it is: only a retry
 * moves a finished job on, and the retry's writer refreshes the snapshot itself.
 */
export async function readJobSnapshot(
  store: Store,
  jobId: string,
  options: { readonly probeTerminal?: boolean } = {},
): Promise<JobSnapshot> {
  const stored = await readSnapshot(store, jobId);
  if (stored.state.terminal && options.probeTerminal !== true) return stored;
  return (await catchUp(store, jobId, stored)).snapshot;
}

/**
 * Brings the stored snapshot up to the log (a writer calls it after its chunk landed) by
 * compare-and-swap, again from the read when another writer swapped first. Returns the snapshot
 * it wrote or found current. A job with an empty log gets none (a deleted job is not recreated).
 */
export async function refreshSnapshot(store: Store, jobId: string): Promise<JobSnapshot> {
  const key = snapshotKey(jobId);
  let latest = emptySnapshot;
  for (let swap = 0; swap < maxSwaps; swap += 1) {
    const current = await store.getVersioned(key);
    const base = (current === undefined ? undefined : decodeSnapshot(current.body)) ?? emptySnapshot;
    const { snapshot, changed } = await catchUp(store, jobId, base);
    latest = snapshot;
    if (current !== undefined && !changed) return snapshot;
    if (Object.keys(snapshot.position).length === 0) return snapshot;
    const body = encodeSnapshot(snapshot);
    const options = { contentType: jsonContentType };
    const written =
      current === undefined
        ? await store.putIfAbsent(key, body, options)
        : await store.putIfMatch(key, body, current.etag, options);
    if (written) return snapshot;
  }
  // Contended past reason: the log stays the truth, and the next refresh catches up.
  return latest;
}
