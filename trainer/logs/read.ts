// Reading a job's shipped logs back, chunk by chunk, in order.

import type { Store } from '../store/store.ts';
import { logsPrefix, parseLogChunkKey } from './layout.ts';

export interface LogChunk {
  readonly stream: string;
  /** 1-based, gap-free per stream. */
  readonly index: number;
  readonly key: string;
  readonly text: string;
}

export interface ReadLogsOptions {
  /** Only this stream (e.g. 'stderr'). */
  readonly stream?: string;
  /** Only chunks after this index (for tailing). */
  readonly afterIndex?: number;
}

/** Chunks ordered by stream, then index. */
export async function readLogs(
  store: Store,
  jobId: string,
  options: ReadLogsOptions = {},
): Promise<LogChunk[]> {
  const refs = [];
  for (const object of await store.list(logsPrefix(jobId))) {
    const ref = parseLogChunkKey(object.key);
    if (ref === undefined) continue;
    if (options.stream !== undefined && ref.stream !== options.stream) continue;
    if (ref.index <= (options.afterIndex ?? 0)) continue;
    refs.push({ ...ref, key: object.key });
  }
  refs.sort((a, b) => (a.stream === b.stream ? a.index - b.index : a.stream < b.stream ? -1 : 1));
  const decoder = new TextDecoder();
  const chunks: LogChunk[] = [];
  for (const ref of refs) chunks.push({ ...ref, text: decoder.decode(await store.get(ref.key)) });
  return chunks;
}

/** One stream's whole text. */
export async function readLogText(store: Store, jobId: string, stream: string): Promise<string> {
  return (await readLogs(store, jobId, { stream })).map((c) => c.text).join('');
}
