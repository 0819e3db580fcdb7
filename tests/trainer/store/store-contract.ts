// The Store port's conformance suite, run against every adapter (local directory, embedded s3rver,
// s3rver behind a conditional-write proxy, MinIO): same expectations, different backends.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, readEvents } from '../../../trainer/events/log.ts';
import type { Store } from '../../../trainer/store/store.ts';
import { StoreNotFoundError } from '../../../trainer/store/store.ts';

export interface ContractBackend {
  /** Two independent store instances on the same backend (to race them). */
  readonly stores: readonly [Store, Store];
  teardown(): Promise<void>;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export function describeStoreContract(name: string, setup: () => Promise<ContractBackend | string>): void {
  describe(`Store contract: ${name}`, () => {
    let backend: ContractBackend | undefined;
    let skipReason: string | undefined;
    let run = 0;
    // Each test works under its own prefix so tests never see each other's objects.
    const scope = (): string => `runs/contract-${Date.now().toString(36)}-${run++}/`;

    beforeAll(async () => {
      const result = await setup();
      if (typeof result === 'string') {
        skipReason = result;
        console.warn(`skipping Store contract for ${name}: ${result}`);
      } else backend = result;
    });
    afterAll(async () => {
      await backend?.teardown();
    });

    const store = (ctx: { skip: (note?: string) => void }): Store => {
      if (backend === undefined) {
        ctx.skip(skipReason);
        throw new Error('unreachable');
      }
      return backend.stores[0];
    };

    it('round-trips strings and bytes, and reports size through head', async (ctx) => {
      const s = store(ctx);
      const base = scope();
      const bytes = new Uint8Array(randomBytes(1000));
      await s.put(`${base}a.txt`, 'héllo');
      await s.put(`${base}b.bin`, bytes, { contentType: 'application/octet-stream' });
      expect(text(await s.get(`${base}a.txt`))).toBe('héllo');
      expect(Buffer.from(await s.get(`${base}b.bin`)).equals(Buffer.from(bytes))).toBe(true);
      expect((await s.head(`${base}a.txt`))?.size).toBe(Buffer.byteLength('héllo'));
      expect(await s.head(`${base}missing`)).toBeUndefined();
      await s.put(`${base}a.txt`, 'replaced');
      expect(text(await s.get(`${base}a.txt`))).toBe('replaced');
    });

    it('throws StoreNotFoundError for absent objects from get and stream', async (ctx) => {
      const s = store(ctx);
      const base = scope();
      await expect(s.get(`${base}nope`)).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(s.stream(`${base}nope`)).rejects.toBeInstanceOf(StoreNotFoundError);
    });

    it('lists in ascending key order, only under the prefix, including partial-segment prefixes', async (ctx) => {
      const s = store(ctx);
      const base = scope();
      const keys = ['b/2', 'a/1', 'b/10', 'ab', 'b/1/x', 'c'];
      for (const k of keys) await s.put(base + k, k);
      await s.put(`${base.slice(0, -1)}-sibling/a`, 'outside');
      const all = await s.list(base);
      expect(all.map((o) => o.key)).toEqual(['a/1', 'ab', 'b/1/x', 'b/10', 'b/2', 'c'].map((k) => base + k));
      expect(all.find((o) => o.key === `${base}b/10`)?.size).toBe(4);
      expect((await s.list(`${base}b/`)).map((o) => o.key)).toEqual(
        ['b/1/x', 'b/10', 'b/2'].map((k) => base + k),
      );
      expect((await s.list(`${base}a`)).map((o) => o.key)).toEqual([`${base}a/1`, `${base}ab`]);
      expect(await s.list(`${base}zzz/`)).toEqual([]);
    });

    it('deletes one object (absent is fine) and every object under a prefix', async (ctx) => {
      const s = store(ctx);
      const base = scope();
      for (const k of ['x/1', 'x/2', 'x/deep/3', 'y/1']) await s.put(base + k, k);
      await s.delete(`${base}x/1`);
      await s.delete(`${base}x/1`);
      expect(await s.head(`${base}x/1`)).toBeUndefined();
      await s.deletePrefix(`${base}x/`);
      expect((await s.list(base)).map((o) => o.key)).toEqual([`${base}y/1`]);
    });

    it('streams bodies both ways', async (ctx) => {
      const s = store(ctx);
      const base = scope();
      const body = randomBytes(70_000);
      await s.putStream(`${base}s.bin`, Readable.from([body.subarray(0, 1000), body.subarray(1000)]));
      expect((await collect(await s.stream(`${base}s.bin`))).equals(body)).toBe(true);
    });

    it('lets exactly one of many concurrent putIfAbsent callers create a key', async (ctx) => {
      const s = store(ctx);
      const other = backend?.stores[1] ?? s;
      const key = `${scope()}lock`;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? s : other).putIfAbsent(key, `writer-${i}`)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(text(await s.get(key))).toBe(`writer-${winner}`);
      expect(await s.putIfAbsent(key, 'late')).toBe(false);
      expect(text(await s.get(key))).toBe(`writer-${winner}`);
    });

    it('swaps an object only against the entity tag it was read with (putIfMatch)', async (ctx) => {
      const s = store(ctx);
      const key = `${scope()}doc.json`;
      expect(await s.getVersioned(key)).toBeUndefined();
      expect(await s.putIfMatch(key, 'never', '"0"')).toBe(false);
      expect(await s.head(key)).toBeUndefined();
      await s.put(key, 'v1');
      const first = await s.getVersioned(key);
      expect(first === undefined ? undefined : text(first.body)).toBe('v1');
      expect(await s.putIfMatch(key, 'v2', first?.etag ?? '')).toBe(true);
      const second = await s.getVersioned(key);
      expect(second?.etag).not.toBe(first?.etag);
      // The tag read before the swap is stale now: the write must be refused and change nothing.
      expect(await s.putIfMatch(key, 'lost update', first?.etag ?? '')).toBe(false);
      expect(text(await s.get(key))).toBe('v2');
      await s.delete(key);
      expect(await s.putIfMatch(key, 'resurrected', second?.etag ?? '')).toBe(false);
      expect(await s.head(key)).toBeUndefined();
    });

    it('loses no increment when concurrent writers on two instances read-modify-write one counter', async (ctx) => {
      const s = store(ctx);
      const other = backend?.stores[1] ?? s;
      const key = `${scope()}counter`;
      await s.put(key, '0');
      let conflicts = 0;
      const increment = async (via: Store): Promise<void> => {
        for (;;) {
          const current = await via.getVersioned(key);
          if (current === undefined) throw new Error('counter vanished');
          if (await via.putIfMatch(key, String(Number(text(current.body)) + 1), current.etag)) return;
          conflicts += 1;
        }
      };
      const writers = Array.from({ length: 6 }, async (_, i) => {
        for (let n = 0; n < 4; n++) await increment(i % 2 === 0 ? s : other);
      });
      await Promise.all(writers);
      expect(text(await s.get(key))).toBe('24');
      // Six writers released together must have collided at least once, or the race was not run.
      expect(conflicts).toBeGreaterThan(0);
    });

    it('uploads a body over 5 MiB (multipart on S3) byte-exact', async (ctx) => {
      const s = store(ctx);
      const key = `${scope()}big.bin`;
      const body = randomBytes(5 * 1024 * 1024 + 123_457);
      const pieces = Array.from({ length: 13 }, (_, i) => body.subarray(i * 420_000, (i + 1) * 420_000));
      await s.putStream(key, Readable.from(pieces));
      expect((await s.head(key))?.size).toBe(body.length);
      expect(Buffer.from(await s.get(key)).equals(body)).toBe(true);
    });

    it('gives a download URL that serves the object', async (ctx) => {
      const s = store(ctx);
      const key = `${scope()}dl.txt`;
      await s.put(key, 'download me');
      const url = await s.downloadUrl(key, 60);
      const body = url.startsWith('file:')
        ? await readFile(fileURLToPath(url), 'utf8')
        : await fetch(url).then((r) => (r.ok ? r.text() : `HTTP ${r.status}`));
      expect(body).toBe('download me');
    });

    it('reads event chunks back in order, across writers and appends', async (ctx) => {
      const s = store(ctx);
      const jobId = `contract-${Date.now().toString(36)}-${run++}`;
      const t = (ms: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();
      await appendEvents(s, jobId, 'api', [{ kind: 'status', status: 'queued', time: t(1) }], { attempt: 1 });
      await appendEvents(
        s,
        jobId,
        'trainer',
        [
          { kind: 'status', status: 'running', time: t(2) },
          { kind: 'metric', epoch: 1, step: 10, key: 'loss', value: 1.5, time: t(3) },
        ],
        { attempt: 1 },
      );
      await appendEvents(s, jobId, 'api', [{ kind: 'intent', intent: 'cancel', time: t(4) }], { attempt: 1 });
      const first = await readEvents(s, jobId);
      expect(first.events.map((e) => `${e.writer}:${e.seq}:${e.kind}`)).toEqual([
        'api:1:status',
        'trainer:1:status',
        'trainer:2:metric',
        'api:2:intent',
      ]);
      expect(first.position).toEqual({ api: 2, trainer: 2 });
      await appendEvents(s, jobId, 'trainer', [{ kind: 'status', status: 'succeeded', time: t(5) }], {
        attempt: 1,
      });
      const next = await readEvents(s, jobId, first.position);
      expect(next.events.map((e) => `${e.writer}:${e.seq}`)).toEqual(['trainer:3']);
      expect(next.position).toEqual({ api: 2, trainer: 3 });
    });
  });
}
