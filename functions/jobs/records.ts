// Where the API keeps a job's own records in the store, next to what the trainer writes:
// runs/<id>/spec.json (the trainer's input), runs/<id>/job.json (owner, creation time), an owner
// index for listing, and idempotency records.
import { createHash } from 'node:crypto';
import { type ExperimentSpec, parseExperimentSpecJson } from '../../trainer/spec/index.ts';
import { assertJobId, runKey } from '../../trainer/store/keys.ts';
import { jsonContentType, specKey } from '../../trainer/store/run-layout.ts';
import type { Store } from '../../trainer/store/store.ts';
import { getIfPresent } from '../../trainer/store/write-once.ts';

export interface JobRecord {
  readonly id: string;
  readonly owner: string;
  readonly createdAt: string;
  /**
   * The spec's name (null: it has none), kept here so a list page reads no specs; absent in
   * records written before it was kept.
   */
  readonly name?: string | null;
  /** Key of the idempotency record that created the job, removed with it. */
  readonly idempotencyRecord?: string;
}

export interface IdempotencyRecord {
  readonly jobId: string;
  /** SHA-256 of the request body, so a reused key with another body is refused. */
  readonly requestSha256: string;
}

const ownerPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
export const ownerSegment = (owner: string): string => {
  if (!ownerPattern.test(owner)) throw new Error(`invalid owner '${owner}'`);
  return owner;
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
export const jobRecordKey = (id: string): string => runKey(id, 'job.json');
export const ownerIndexPrefix = (owner: string): string => `owners/${ownerSegment(owner)}/jobs/`;
export const ownerIndexKey = (owner: string, id: string): string =>
  `${ownerIndexPrefix(owner)}${assertJobId(id)}`;
export const idempotencyKey = (owner: string, key: string): string =>
  `idempotency/${ownerSegment(owner)}/${sha256Hex(key)}`;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const decode = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

/** A bounded map that forgets the least recently used entry (a Map keeps insertion order). */
class Recent<V> {
  readonly #entries = new Map<string, V>();
  constructor(readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) this.set(key, value);
    return value;
  }
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    const oldest = this.#entries.keys().next();
    if (this.#entries.size > this.max && oldest.done !== true) this.#entries.delete(oldest.value);
  }
  delete(key: string): void {
    this.#entries.delete(key);
  }
}

export class JobRecords {
  readonly #store: Store;
  // Specs and records never change once written, so memory holds the recent ones (a few MB at
  // most), not the whole history's; a job deleted by another process reads as gone by its state.
  readonly #specs = new Recent<ExperimentSpec>(2000);
  readonly #records = new Recent<JobRecord>(20_000);

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Writes the spec, the job record and the index entry, at once: nothing reads them before the
   * job's first event, which the caller appends after this returns.
   */
  async create(record: JobRecord, spec: ExperimentSpec): Promise<void> {
    await Promise.all([
      this.#store.put(specKey(record.id), json(spec), { contentType: jsonContentType }),
      this.#store.put(jobRecordKey(record.id), json(record), { contentType: jsonContentType }),
      this.#store.put(ownerIndexKey(record.owner, record.id), record.createdAt, {
        contentType: 'text/plain',
      }),
    ]);
    this.#specs.set(record.id, spec);
    this.#records.set(record.id, record);
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const cached = this.#records.get(id);
    if (cached !== undefined) return cached;
    const bytes = await getIfPresent(this.#store, jobRecordKey(id));
    const record = bytes === undefined ? undefined : (decode(bytes) as JobRecord);
    if (record !== undefined) this.#records.set(id, record);
    return record;
  }

  async spec(id: string): Promise<ExperimentSpec> {
    const spec =
      this.#specs.get(id) ??
      parseExperimentSpecJson(Buffer.from(await this.#store.get(specKey(id))).toString('utf8'));
    this.#specs.set(id, spec);
    return spec;
  }

  /** The owner's job ids, newest first (ids sort by creation time). */
  async idsOf(owner: string): Promise<string[]> {
    const prefix = ownerIndexPrefix(owner);
    const objects = await this.#store.list(prefix);
    return objects.map((o) => o.key.slice(prefix.length)).reverse();
  }

  /** Every owner's job ids (the supervisor's start-up scan). */
  async allIds(): Promise<string[]> {
    const objects = await this.#store.list('owners/');
    return objects.map((o) => o.key.split('/').at(-1) ?? '').filter((id) => id !== '');
  }

  async readIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    const bytes = await getIfPresent(this.#store, key);
    return bytes === undefined ? undefined : (decode(bytes) as IdempotencyRecord);
  }

  /** Claims the idempotency key for `jobId`; returns the existing claim if there is one. */
  async claimIdempotency(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord | undefined> {
    if (await this.#store.putIfAbsent(key, json(record), { contentType: jsonContentType })) return undefined;
    const bytes = await getIfPresent(this.#store, key);
    return bytes === undefined ? undefined : (decode(bytes) as IdempotencyRecord);
  }

  async remove(record: JobRecord): Promise<void> {
    await this.#store.delete(ownerIndexKey(record.owner, record.id));
    if (record.idempotencyRecord !== undefined) await this.#store.delete(record.idempotencyRecord);
    await this.#store.deletePrefix(runKey(record.id));
    this.#specs.delete(record.id);
    this.#records.delete(record.id);
  }
}
