// Stored history without training: finished jobs written straight through the Store in the layout
// the API and the trainer leave (spec, job record, owner index entry, one chunk per writer, the
// state snapshot), so the API's cost can be measured against 10 or 10,000 of them.
import { jobRecordKey, ownerIndexKey } from '../../functions/jobs/records.ts';
import { chunkKey, encodeChunk } from '../../trainer/events/chunks.ts';
import { reduceJobState } from '../../trainer/events/reduce.ts';
import { encodeSnapshot, snapshotKey } from '../../trainer/events/snapshot.ts';
import type { JobEvent } from '../../trainer/events/types.ts';
import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import { newJobId } from '../../trainer/store/keys.ts';
import { jsonContentType, specKey } from '../../trainer/store/run-layout.ts';
import type { Store } from '../../trainer/store/store.ts';

export interface SeedOptions {
  readonly owner: string;
  readonly count: number;
  /** Creation time of the first job; each next one a second later. */
  readonly from: Date;
  readonly spec: ExperimentSpec;
  /** Jobs written at once (default 32). */
  readonly concurrency?: number;
}

function finishedLog(at: string): { api: JobEvent[]; trainer: JobEvent[] } {
  const base = { time: at, attempt: 1 } as const;
  return {
    api: [
      { ...base, writer: 'api', seq: 1, kind: 'status', status: 'queued' },
      { ...base, writer: 'api', seq: 2, kind: 'status', status: 'starting' },
    ],
    trainer: [
      { ...base, writer: 'trainer', seq: 1, kind: 'status', status: 'running' },
      { ...base, writer: 'trainer', seq: 2, kind: 'metric', epoch: 1, step: 10, key: 'train_loss', value: 1 },
      { ...base, writer: 'trainer', seq: 3, kind: 'status', status: 'succeeded', exitCode: 0 },
    ],
  };
}

async function seedOne(store: Store, options: SeedOptions, index: number): Promise<string> {
  const time = new Date(options.from.getTime() + index * 1000);
  const id = newJobId(time.getTime());
  const at = time.toISOString();
  const json = { contentType: jsonContentType };
  const ndjson = { contentType: 'application/x-ndjson' };
  const events = finishedLog(at);
  const snapshot = {
    position: { api: 2, trainer: 3 },
    state: reduceJobState([...events.api, ...events.trainer]),
  };
  const record = { id, owner: options.owner, createdAt: at, name: options.spec.name ?? null };
  await Promise.all([
    store.put(specKey(id), JSON.stringify(options.spec), json),
    store.put(jobRecordKey(id), JSON.stringify(record), json),
    store.put(chunkKey(id, 'api', 1), encodeChunk(events.api), ndjson),
    store.put(chunkKey(id, 'trainer', 1), encodeChunk(events.trainer), ndjson),
    store.put(snapshotKey(id), encodeSnapshot(snapshot), json),
  ]);
  await store.put(ownerIndexKey(options.owner, id), at, { contentType: 'text/plain' });
  return id;
}

/** Writes `count` succeeded jobs of `owner`; returns their ids, oldest first. */
export async function seedFinishedJobs(store: Store, options: SeedOptions): Promise<string[]> {
  const ids: string[] = [];
  const concurrency = options.concurrency ?? 32;
  for (let start = 0; start < options.count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, options.count - start) }, (_, i) => start + i);
    ids.push(...(await Promise.all(batch.map((i) => seedOne(store, options, i)))));
  }
  return ids;
}
