// Per-owner admission: the active-job limit holds under any concurrency because a job is admitted
// by a compare-and-swap of the owner's index of active jobs (admission/<owner>/active.json), never by
// counting and then writing. In one process a per-owner mutex queues the contenders, so the swap
// only races other processes sharing the store (several API servers, Lambda instances).
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedMutex } from '../../trainer/store/keyed-mutex.ts';
import { jsonContentType } from '../../trainer/store/run-layout.ts';
import type { Store } from '../../trainer/store/store.ts';
import { ActiveJobLimitReached, StateConflict } from '../errors.ts';
import { ownerSegment } from './records.ts';

/** One admitted job: `since` is when its latest attempt was admitted (ISO time). */
export interface ActiveEntry {
  readonly id: string;
  readonly since: string;
}

/** What the index needs to know of a job to drop it: is an attempt live, and when did it last change. */
export interface JobActivity {
  /** Queued, starting or running (a recorded attempt that has not ended). */
  readonly active: boolean;
  /** Time of the job's latest status change, or undefined when nothing is recorded yet. */
  readonly lastChange: string | undefined;
}

export interface AdmissionOptions {
  readonly store: Store;
  readonly activity: (jobId: string) => Promise<JobActivity>;
  readonly clock: () => Date;
  /**
   * How long an admitted entry whose attempt is not recorded yet still counts: the window between
   * the swap and the job's `queued` event, during which another process must not drop it.
   */
  readonly pendingMs?: number;
  /** Swaps lost to other processes before giving up with a 409 (default 200). */
  readonly maxSwaps?: number;
}

export const activeIndexKey = (owner: string): string => `admission/${ownerSegment(owner)}/active.json`;

/**
 * The entries that still hold a slot: live attempts, and admissions younger than `pendingMs` whose
 * attempt is not recorded yet (nothing recorded, or the job's last change predates the admission,
 * as when a retry was admitted but its `queued` event is not written yet).
 */
export function liveEntries(
  entries: readonly ActiveEntry[],
  activity: ReadonlyMap<string, JobActivity>,
  now: Date,
  pendingMs: number,
): ActiveEntry[] {
  return entries.filter((entry) => {
    const job = activity.get(entry.id);
    if (job?.active) return true;
    const pending = job?.lastChange === undefined || job.lastChange < entry.since;
    return pending && now.getTime() - Date.parse(entry.since) < pendingMs;
  });
}

export class Admission {
  readonly #options: AdmissionOptions;
  readonly #mutex = new KeyedMutex();

  constructor(options: AdmissionOptions) {
    this.#options = options;
  }

  /**
   * Takes one of the owner's `limit` slots for `jobId` (again, for a retry) or throws
   * ActiveJobLimitReached. `seed` lists the owner's jobs when the index does not exist yet (a store
   * written before it), read once.
   */
  admit(owner: string, jobId: string, limit: number, seed: () => Promise<string[]>): Promise<void> {
    return this.#mutex.run(owner, () => this.#admit(owner, jobId, limit, seed));
  }

  /**
   * The ids the owner's index holds (every active job among them, and some that finished since),
   * or undefined when the owner has no index yet (history written before it).
   */
  async indexed(owner: string): Promise<string[] | undefined> {
    const current = await this.#options.store.getVersioned(activeIndexKey(owner));
    return current === undefined ? undefined : (parseIndex(current.body) ?? []).map((e) => e.id);
  }

  /** Frees the job's slot (an admission that wrote nothing, a deleted job). */
  release(owner: string, jobId: string): Promise<void> {
    return this.#mutex.run(owner, () =>
      this.#swap(owner, async (entries) => entries.filter((e) => e.id !== jobId)),
    );
  }

  async #admit(owner: string, jobId: string, limit: number, seed: () => Promise<string[]>): Promise<void> {
    await this.#swap(
      owner,
      async (entries) => {
        const others = entries.filter((e) => e.id !== jobId);
        const live = others.length < limit ? others : await this.#live(others);
        if (live.length >= limit) throw new ActiveJobLimitReached(limit);
        return [...live, { id: jobId, since: this.#options.clock().toISOString() }];
      },
      seed,
    );
  }

  async #live(entries: readonly ActiveEntry[]): Promise<ActiveEntry[]> {
    const activity = new Map(
      await Promise.all(entries.map(async (e) => [e.id, await this.#options.activity(e.id)] as const)),
    );
    return liveEntries(entries, activity, this.#options.clock(), this.#options.pendingMs ?? 300_000);
  }

  /** Read, change, compare-and-swap; again from the read when another process won the swap. */
  async #swap(
    owner: string,
    change: (entries: readonly ActiveEntry[]) => Promise<ActiveEntry[]>,
    seed?: () => Promise<string[]>,
  ): Promise<void> {
    const { store } = this.#options;
    const key = activeIndexKey(owner);
    const maxSwaps = this.#options.maxSwaps ?? 200;
    for (let attempt = 0; attempt < maxSwaps; attempt += 1) {
      const current = await store.getVersioned(key);
      const entries = current === undefined ? await this.#seeded(seed) : (parseIndex(current.body) ?? []);
      const body = `${JSON.stringify({ version: 1, jobs: await change(entries) })}\n`;
      const options = { contentType: jsonContentType };
      const written =
        current === undefined
          ? await store.putIfAbsent(key, body, options)
          : await store.putIfMatch(key, body, current.etag, options);
      if (written) return;
      // Another process swapped first: back off a little, at random, so two servers don't lockstep.
      await sleep(Math.random() * Math.min(50, 2 + attempt * 2));
    }
    throw new StateConflict(`too many concurrent submissions for this key; try again`);
  }

  async #seeded(seed: (() => Promise<string[]>) | undefined): Promise<ActiveEntry[]> {
    if (seed === undefined) return [];
    // An entry older than any pending window: it holds a slot only while its attempt is live.
    return (await seed()).map((id) => ({ id, since: new Date(0).toISOString() }));
  }
}

function parseIndex(body: Uint8Array): ActiveEntry[] | undefined {
  const value = JSON.parse(Buffer.from(body).toString('utf8')) as { jobs?: unknown };
  if (!Array.isArray(value.jobs)) return undefined;
  return value.jobs.filter(
    (e): e is ActiveEntry =>
      typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.since === 'string',
  );
}
