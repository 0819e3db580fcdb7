// Layout of the event log in the store: runs/<jobId>/events/<writer>/<firstSeq, 10 digits>.jsonl,
// one JSON event per line; chunks are created once and never rewritten.

import { runKey } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import { StorePermanentError } from '../store/store.ts';
import type { JobEvent, WriterId } from './types.ts';

export const writerIds: readonly WriterId[] = ['api', 'trainer'];
const eventKinds = new Set(['status', 'intent', 'metric', 'note']);

export interface ChunkRef {
  readonly key: string;
  readonly writer: WriterId;
  readonly firstSeq: number;
}

export function eventsPrefix(jobId: string): string {
  return `${runKey(jobId, 'events')}/`;
}

export function chunkKey(jobId: string, writer: WriterId, firstSeq: number): string {
  return runKey(jobId, 'events', writer, `${String(firstSeq).padStart(10, '0')}.jsonl`);
}

export function parseChunkKey(key: string): ChunkRef | undefined {
  const match = /\/events\/(api|trainer)\/(\d{10})\.jsonl$/.exec(key);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const firstSeq = Number(match[2]);
  return firstSeq >= 1 ? { key, writer: match[1] as WriterId, firstSeq } : undefined;
}

export function encodeChunk(events: readonly JobEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join('');
}

function isEvent(value: unknown, writer: WriterId): value is JobEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    e.writer === writer &&
    Number.isSafeInteger(e.seq) &&
    (e.seq as number) >= 1 &&
    typeof e.time === 'string' &&
    typeof e.attempt === 'number' &&
    typeof e.kind === 'string' &&
    eventKinds.has(e.kind)
  );
}

/** Parses a chunk; a malformed line is a permanent error naming the key and the line. */
export function decodeChunk(ref: ChunkRef, bytes: Uint8Array): JobEvent[] {
  const lines = new TextDecoder().decode(bytes).split('\n');
  const events: JobEvent[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new StorePermanentError(ref.key, `line ${index + 1} is not JSON`);
    }
    if (!isEvent(value, ref.writer))
      throw new StorePermanentError(ref.key, `line ${index + 1} is not a ${ref.writer} event`);
    const expected = ref.firstSeq + events.length;
    if (value.seq !== expected) {
      throw new StorePermanentError(ref.key, `line ${index + 1} has seq ${value.seq}, expected ${expected}`);
    }
    events.push(value);
  });
  return events;
}

/** Every chunk of the job, per writer, in ascending firstSeq. */
export async function listChunks(store: Store, jobId: string): Promise<Map<WriterId, ChunkRef[]>> {
  const byWriter = new Map<WriterId, ChunkRef[]>(writerIds.map((w) => [w, []]));
  for (const object of await store.list(eventsPrefix(jobId))) {
    const ref = parseChunkKey(object.key);
    if (ref !== undefined) byWriter.get(ref.writer)?.push(ref);
  }
  for (const refs of byWriter.values()) refs.sort((a, b) => a.firstSeq - b.firstSeq);
  return byWriter;
}

/** The highest seq a writer has stored (0 when it has none). */
export async function storedLastSeq(store: Store, jobId: string, writer: WriterId): Promise<number> {
  const refs = (await listChunks(store, jobId)).get(writer) ?? [];
  const last = refs.at(-1);
  if (last === undefined) return 0;
  const events = decodeChunk(last, await store.get(last.key));
  if (events.length === 0) throw new StorePermanentError(last.key, 'empty event chunk');
  return last.firstSeq + events.length - 1;
}
