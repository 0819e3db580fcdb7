// One writer's side of the event log: events get gap-free seqs, are buffered in memory, and are
// written as new chunks with putIfAbsent; a chunk taken by another process means "re-sequence
// after its last seq and retry", so two API processes never overwrite each other.

import { FlushSchedule } from '../store/flush-schedule.ts';
import type { Store } from '../store/store.ts';
import { putOnce } from '../store/write-once.ts';
import { chunkKey, encodeChunk, storedLastSeq } from './chunks.ts';
import { refreshSnapshot } from './snapshot.ts';
import type { JobEvent, WriterId } from './types.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as the caller states it; the writer stamps writer, seq, and (unless given) time and attempt. */
export type NewEvent = DistributiveOmit<JobEvent, 'writer' | 'seq' | 'time' | 'attempt'> & {
  readonly time?: string;
  readonly attempt?: number;
};

export interface EventLogWriterOptions {
  /** Attempt stamped on events that do not name one (1-based). */
  readonly attempt: number;
  /** Background flush delay after an append. Default 2000 ms. */
  readonly flushIntervalMs?: number;
  /** Called with each chunk's events once stored, with their final seqs. */
  readonly onWritten?: (events: readonly JobEvent[]) => void;
  /**
   * Refresh the job's state snapshot (snapshot.ts) after each chunk (default true); a caller that
   * refreshes it itself, to get the state back, turns this off.
   */
  readonly snapshot?: boolean;
  /**
   * The writer's last stored seq when the caller knows it (from a snapshot's position), saving the
   * listing that finds it; a stale value only costs a re-sequence when the chunk key is taken.
   */
  readonly lastSeq?: number;
}

export interface EventLogWriter {
  /** Records the event in memory and returns it with its seq (final unless another process raced this one). */
  append(event: NewEvent): JobEvent;
  /** Writes every buffered event; rejects with the store's error (StoreUnavailableError past its deadline), keeping them buffered. */
  flush(): Promise<void>;
  /** Stops the background flush and writes what is buffered. */
  close(): Promise<void>;
  /** The last seq handed out. */
  readonly lastSeq: number;
}

interface Chunk {
  readonly firstSeq: number;
  readonly events: JobEvent[];
  readonly body: string;
}

function chunkOf(events: JobEvent[]): Chunk {
  const first = events[0];
  if (first === undefined) throw new Error('empty chunk');
  return { firstSeq: first.seq, events, body: encodeChunk(events) };
}

class BufferedEventLogWriter implements EventLogWriter {
  private nextSeq: number;
  private pending: JobEvent[] = [];
  // The chunk being written stays byte-identical across retries, so a write that succeeded
  // without us hearing back is recognised as ours instead of being re-sequenced (duplicated).
  private inflight: Chunk | undefined;
  private readonly flushes: FlushSchedule;

  constructor(
    private readonly store: Store,
    private readonly jobId: string,
    private readonly writer: WriterId,
    private readonly attempt: number,
    flushIntervalMs: number,
    private readonly onWritten: (events: readonly JobEvent[]) => void,
    lastSeq: number,
    private readonly snapshot: boolean,
  ) {
    this.nextSeq = lastSeq + 1;
    // A failed background flush keeps the events and tries again one interval later.
    this.flushes = new FlushSchedule(
      () => this.writeBuffered(),
      flushIntervalMs,
      () => this.pending.length > 0 || this.inflight !== undefined,
    );
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  append(event: NewEvent): JobEvent {
    if (this.flushes.closed)
      throw new Error(`event log writer '${this.writer}' of job ${this.jobId} is closed`);
    const stamped = {
      ...event,
      writer: this.writer,
      seq: this.nextSeq++,
      time: event.time ?? new Date().toISOString(),
      attempt: event.attempt ?? this.attempt,
    } as JobEvent;
    this.pending.push(stamped);
    this.flushes.schedule();
    return stamped;
  }

  flush(): Promise<void> {
    return this.flushes.flush();
  }

  close(): Promise<void> {
    return this.flushes.close();
  }

  private async writeBuffered(): Promise<void> {
    while (this.inflight !== undefined || this.pending.length > 0) {
      this.inflight ??= chunkOf(this.pending.splice(0));
      const chunk = this.inflight;
      const key = chunkKey(this.jobId, this.writer, chunk.firstSeq);
      if (await putOnce(this.store, key, chunk.body, { contentType: 'application/x-ndjson' })) {
        this.written(chunk);
        // The snapshot is a cache of the log: a failed refresh is caught up by the next reader.
        if (this.snapshot) await refreshSnapshot(this.store, this.jobId).catch(() => undefined);
        continue;
      }
      this.resequence((await storedLastSeq(this.store, this.jobId, this.writer)) + 1);
    }
  }

  private written(chunk: Chunk): void {
    this.inflight = undefined;
    this.onWritten(chunk.events);
  }

  /** Renumbers the unwritten events from `firstSeq` on, keeping their order. */
  private resequence(firstSeq: number): void {
    const events = [...(this.inflight?.events ?? []), ...this.pending].map(
      (e, i) => ({ ...e, seq: firstSeq + i }) as JobEvent,
    );
    this.pending = [];
    this.inflight = chunkOf(events);
    this.nextSeq = firstSeq + events.length;
  }
}

/** Opens a writer that continues after the writer's last stored seq. */
export async function openEventLogWriter(
  store: Store,
  jobId: string,
  writer: WriterId,
  options: EventLogWriterOptions,
): Promise<EventLogWriter> {
  const lastSeq = options.lastSeq ?? (await storedLastSeq(store, jobId, writer));
  return new BufferedEventLogWriter(
    store,
    jobId,
    writer,
    options.attempt,
    options.flushIntervalMs ?? 2000,
    options.onWritten ?? (() => undefined),
    lastSeq,
    options.snapshot ?? true,
  );
}

/**
 * One-shot append (the API): writes the events as one chunk and returns them as stored. Events
 * that name no attempt get `options.attempt` (default 1).
 */
export async function appendEvents(
  store: Store,
  jobId: string,
  writer: WriterId,
  events: readonly NewEvent[],
  options: Pick<EventLogWriterOptions, 'snapshot' | 'lastSeq'> & { readonly attempt?: number } = {},
): Promise<JobEvent[]> {
  const stored: JobEvent[] = [];
  const log = await openEventLogWriter(store, jobId, writer, {
    ...options,
    attempt: options.attempt ?? 1,
    flushIntervalMs: 60_000,
    onWritten: (written) => stored.push(...written),
  });
  for (const event of events) log.append(event);
  await log.close();
  return stored;
}
