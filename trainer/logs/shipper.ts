// Ships a process's output lines to the store as numbered chunks every few seconds. Like the event
// writer it keeps text in memory while the store is down and never rewrites a chunk.

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { FlushSchedule } from '../store/flush-schedule.ts';
import type { Store } from '../store/store.ts';
import { putOnce } from '../store/write-once.ts';
import { assertStreamName, logChunkKey, logsPrefix, parseLogChunkKey } from './layout.ts';

export interface LogShipperOptions {
  /** Delay between shipments. Default 3000 ms. */
  readonly intervalMs?: number;
  /** Characters kept per stream while the store is unreachable; older text is dropped past it. Default 16 Mi. */
  readonly maxBufferedChars?: number;
}

interface StreamState {
  nextIndex: number;
  pending: string;
  // Stays byte-identical across retries, so a write whose response was lost is recognised.
  inflight: { index: number; body: string } | undefined;
  dropped: number;
}

export class LogShipper {
  private readonly streams = new Map<string, StreamState>();
  private readonly flushes: FlushSchedule;

  private constructor(
    private readonly store: Store,
    private readonly jobId: string,
    intervalMs: number,
    private readonly maxBufferedChars: number,
    lastIndexes: Map<string, number>,
  ) {
    for (const [stream, last] of lastIndexes) this.streams.set(stream, this.newState(last + 1));
    this.flushes = new FlushSchedule(
      () => this.shipAll(),
      intervalMs,
      () => true,
    );
  }

  /** Continues after the chunks already stored for the job (an earlier attempt's). */
  static async open(store: Store, jobId: string, options: LogShipperOptions = {}): Promise<LogShipper> {
    return new LogShipper(
      store,
      jobId,
      options.intervalMs ?? 3000,
      options.maxBufferedChars ?? 16 * 1024 * 1024,
      await lastIndexes(store, jobId),
    );
  }

  private newState(nextIndex: number): StreamState {
    return { nextIndex, pending: '', inflight: undefined, dropped: 0 };
  }

  private state(stream: string): StreamState {
    let state = this.streams.get(assertStreamName(stream));
    if (state === undefined) {
      state = this.newState(1);
      this.streams.set(stream, state);
    }
    return state;
  }

  /** Buffers text for a stream; it is shipped at the next interval. */
  write(stream: string, text: string): void {
    if (this.flushes.closed || text === '') return;
    const state = this.state(stream);
    state.pending += text;
    const excess = state.pending.length - this.maxBufferedChars;
    if (excess > 0) {
      state.pending = state.pending.slice(excess);
      state.dropped += excess;
    }
    this.flushes.schedule();
  }

  /** Ships a readable's lines (a child's stdout or stderr) until it ends. */
  attach(stream: string, readable: Readable): Promise<void> {
    assertStreamName(stream);
    const lines = createInterface({ input: readable, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => this.write(stream, `${line}\n`));
    return new Promise((resolve) => lines.once('close', resolve));
  }

  /** Tees this process's stdout and stderr into the shipper; returns the function that stops it. */
  captureProcess(): () => void {
    const restore: (() => void)[] = [];
    for (const [name, target] of [
      ['stdout', process.stdout],
      ['stderr', process.stderr],
    ] as const) {
      const original = target.write.bind(target);
      target.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.write(
          name,
          typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'),
        );
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof target.write;
      restore.push(() => {
        target.write = original;
      });
    }
    return () => {
      for (const undo of restore) undo();
    };
  }

  /** Ships everything buffered; rejects with the store's error, keeping the text for the next try. */
  flush(): Promise<void> {
    return this.flushes.flush();
  }

  close(): Promise<void> {
    return this.flushes.close();
  }

  private async shipAll(): Promise<void> {
    for (const [stream, state] of this.streams) {
      while (state.inflight !== undefined || state.pending !== '' || state.dropped > 0) {
        if (state.inflight === undefined) {
          const note =
            state.dropped > 0 ? `[${state.dropped} characters dropped while storage was unavailable]\n` : '';
          state.inflight = { index: state.nextIndex, body: note + state.pending };
          state.pending = '';
          state.dropped = 0;
        }
        const chunk = state.inflight;
        const key = logChunkKey(this.jobId, stream, chunk.index);
        if (!(await putOnce(this.store, key, chunk.body, { contentType: 'text/plain; charset=utf-8' }))) {
          // Another shipper of this job took the index: move past everything stored.
          const last = (await lastIndexes(this.store, this.jobId)).get(stream) ?? 0;
          state.inflight = { index: Math.max(last, chunk.index) + 1, body: chunk.body };
          continue;
        }
        state.inflight = undefined;
        state.nextIndex = chunk.index + 1;
      }
    }
  }
}

async function lastIndexes(store: Store, jobId: string): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  for (const object of await store.list(logsPrefix(jobId))) {
    const ref = parseLogChunkKey(object.key);
    if (ref !== undefined) last.set(ref.stream, Math.max(ref.index, last.get(ref.stream) ?? 0));
  }
  return last;
}
