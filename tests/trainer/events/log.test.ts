import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvents, openEventLogWriter, readEvents } from '../../../trainer/events/log.ts';
import type { JobEvent } from '../../../trainer/events/types.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import type { Store } from '../../../trainer/store/store.ts';
import { StorePermanentError, StoreUnavailableError } from '../../../trainer/store/store.ts';

const jobId = 'j-test-events';
const roots: string[] = [];
async function freshStore(): Promise<LocalDirStore> {
  const root = await mkdtemp(join(tmpdir(), 'ldam-events-'));
  roots.push(root);
  return new LocalDirStore(root);
}
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

const metric = (
  step: number,
): { kind: 'metric'; epoch: number; step: number; key: string; value: number } => ({
  kind: 'metric',
  epoch: 1,
  step,
  key: 'loss',
  value: step / 10,
});
const seqs = (events: readonly JobEvent[]): string[] => events.map((e) => `${e.writer}:${e.seq}`);

/** A real LocalDirStore whose writes can be made to fail, as if the S3 server were down. */
class OutageStore {
  down = false;
  /** The write lands, but the caller hears a failure (a response lost on the way back). */
  loseNextResponse = false;
  readonly gets: string[] = [];
  constructor(readonly inner: Store) {}
  asStore(): Store {
    const fail = (key: string): never => {
      throw new StoreUnavailableError(key, 'simulated outage');
    };
    return {
      ...this.inner,
      describe: () => this.inner.describe(),
      list: (prefix) => (this.down ? fail(prefix) : this.inner.list(prefix)),
      get: (key) => {
        this.gets.push(key);
        return this.down ? fail(key) : this.inner.get(key);
      },
      putIfAbsent: async (key, body, options) => {
        if (this.down) fail(key);
        const created = await this.inner.putIfAbsent(key, body, options);
        if (this.loseNextResponse) {
          this.loseNextResponse = false;
          fail(key);
        }
        return created;
      },
    } as Store;
  }
}

describe('event log writer', () => {
  it('gives gap-free seqs from 1 and writes each flush as a new chunk', async () => {
    const store = await freshStore();
    const log = await openEventLogWriter(store, jobId, 'trainer', { attempt: 1, flushIntervalMs: 60_000 });
    expect(log.append({ kind: 'status', status: 'running' }).seq).toBe(1);
    log.append(metric(1));
    await log.flush();
    log.append(metric(2));
    await log.close();
    expect(log.lastSeq).toBe(3);
    expect((await store.list(`runs/${jobId}/events/`)).map((o) => o.key)).toEqual([
      `runs/${jobId}/events/trainer/0000000001.jsonl`,
      `runs/${jobId}/events/trainer/0000000003.jsonl`,
    ]);
    const { events } = await readEvents(store, jobId);
    expect(seqs(events)).toEqual(['trainer:1', 'trainer:2', 'trainer:3']);
    expect(events[0]).toMatchObject({ kind: 'status', status: 'running', attempt: 1, writer: 'trainer' });
  });

  it('resumes its seq from the stored chunks', async () => {
    const store = await freshStore();
    await appendEvents(store, jobId, 'trainer', [metric(1), metric(2)], { attempt: 1 });
    const log = await openEventLogWriter(store, jobId, 'trainer', { attempt: 2 });
    expect(log.lastSeq).toBe(2);
    expect(log.append(metric(3))).toMatchObject({ seq: 3, attempt: 2 });
    await log.close();
  });

  it('re-sequences after another process took the same seqs, losing nothing', async () => {
    const store = await freshStore();
    const a = await openEventLogWriter(store, jobId, 'api', { attempt: 1, flushIntervalMs: 60_000 });
    const stored: JobEvent[] = [];
    const b = await openEventLogWriter(store, jobId, 'api', {
      attempt: 1,
      flushIntervalMs: 60_000,
      onWritten: (events) => stored.push(...events),
    });
    a.append({ kind: 'status', status: 'queued' });
    a.append({ kind: 'note', message: 'from a' });
    expect(b.append({ kind: 'intent', intent: 'cancel' }).seq).toBe(1);
    b.append({ kind: 'note', message: 'from b' });
    await a.close();
    await b.close();
    expect(seqs(stored)).toEqual(['api:3', 'api:4']);
    expect(b.lastSeq).toBe(4);
    const { events } = await readEvents(store, jobId);
    expect(events.map((e) => (e.kind === 'note' ? e.message : e.kind))).toEqual([
      'status',
      'from a',
      'intent',
      'from b',
    ]);
    expect(seqs(events)).toEqual(['api:1', 'api:2', 'api:3', 'api:4']);
  });

  it('lets concurrent one-shot appends all land, gap-free', async () => {
    const store = await freshStore();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        appendEvents(store, jobId, 'api', [{ kind: 'note', message: `n${i}` }], { attempt: 1 }),
      ),
    );
    expect(results.map((r) => r[0]?.seq).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const { events } = await readEvents(store, jobId);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(events.map((e) => (e.kind === 'note' ? e.message : ''))).size).toBe(6);
  });

  it('keeps events in memory while the store is down (outage simulated around a real store)', async () => {
    const outage = new OutageStore(await freshStore());
    const store = outage.asStore();
    const log = await openEventLogWriter(store, jobId, 'trainer', { attempt: 1, flushIntervalMs: 60_000 });
    log.append(metric(1));
    outage.down = true;
    log.append(metric(2));
    await expect(log.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
    log.append(metric(3));
    await expect(log.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
    outage.down = false;
    await log.close();
    expect((await readEvents(outage.inner, jobId)).events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('does not duplicate a chunk whose write succeeded but whose response was lost', async () => {
    const outage = new OutageStore(await freshStore());
    const log = await openEventLogWriter(outage.asStore(), jobId, 'trainer', {
      attempt: 1,
      flushIntervalMs: 60_000,
    });
    log.append(metric(1));
    log.append(metric(2));
    outage.loseNextResponse = true;
    await expect(log.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
    log.append(metric(3));
    await log.close();
    const { events } = await readEvents(outage.inner, jobId);
    expect(events.map((e) => (e.kind === 'metric' ? e.step : -1))).toEqual([1, 2, 3]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('flushes in the background after the interval', async () => {
    const store = await freshStore();
    const log = await openEventLogWriter(store, jobId, 'trainer', { attempt: 1, flushIntervalMs: 20 });
    log.append(metric(1));
    for (let i = 0; i < 100 && (await readEvents(store, jobId)).events.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await readEvents(store, jobId)).events.map((e) => e.seq)).toEqual([1]);
    await log.close();
    expect(() => log.append(metric(2))).toThrow(/closed/);
  });
});

describe('readEvents', () => {
  const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

  it('merges writers by time while keeping each writer in seq order', async () => {
    const store = await freshStore();
    await appendEvents(
      store,
      jobId,
      'trainer',
      [
        { ...metric(1), time: at(10) },
        { ...metric(2), time: at(5) },
      ],
      { attempt: 1 },
    );
    await appendEvents(store, jobId, 'api', [{ kind: 'status', status: 'queued', time: at(1) }], {
      attempt: 1,
    });
    await appendEvents(store, jobId, 'api', [{ kind: 'intent', intent: 'cancel', time: at(10) }], {
      attempt: 1,
    });
    const { events, position } = await readEvents(store, jobId);
    expect(seqs(events)).toEqual(['api:1', 'api:2', 'trainer:1', 'trainer:2']);
    expect(position).toEqual({ api: 2, trainer: 2 });
  });

  it('returns only events after the position, fetching no chunk wholly before it', async () => {
    const outage = new OutageStore(await freshStore());
    const store = outage.asStore();
    for (let step = 1; step <= 4; step++)
      await appendEvents(store, jobId, 'trainer', [metric(step)], { attempt: 1 });
    const first = await readEvents(store, jobId, { trainer: 2 });
    expect(seqs(first.events)).toEqual(['trainer:3', 'trainer:4']);
    outage.gets.length = 0;
    const none = await readEvents(store, jobId, first.position);
    expect(none.events).toEqual([]);
    expect(none.position).toEqual({ trainer: 4 });
    expect(outage.gets).toEqual([`runs/${jobId}/events/trainer/0000000004.jsonl`]);
  });

  it('stops at a missing chunk instead of skipping past it', async () => {
    const store = await freshStore();
    for (let step = 1; step <= 3; step++)
      await appendEvents(store, jobId, 'trainer', [metric(step)], { attempt: 1 });
    await store.delete(`runs/${jobId}/events/trainer/0000000002.jsonl`);
    const read = await readEvents(store, jobId);
    expect(seqs(read.events)).toEqual(['trainer:1']);
    expect(read.position).toEqual({ trainer: 1 });
  });

  it('reports a malformed chunk as a permanent error naming its key', async () => {
    const store = await freshStore();
    await store.put(`runs/${jobId}/events/api/0000000001.jsonl`, '{"not":"an event"}\n');
    const error = await readEvents(store, jobId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorePermanentError);
    expect((error as StorePermanentError).key).toBe(`runs/${jobId}/events/api/0000000001.jsonl`);
  });
});
