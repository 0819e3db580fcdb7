import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LogShipper, readLogs, readLogText } from '../../../trainer/logs/index.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import type { Store } from '../../../trainer/store/store.ts';
import { StoreUnavailableError } from '../../../trainer/store/store.ts';

const jobId = 'j-logs-test';
const roots: string[] = [];
async function freshStore(): Promise<LocalDirStore> {
  const root = await mkdtemp(join(tmpdir(), 'ldam-logs-'));
  roots.push(root);
  return new LocalDirStore(root);
}
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

/** A real store whose putIfAbsent can fail as if the server were down, or lose its response. */
function flaky(inner: Store): { store: Store; control: { down: boolean; loseNextResponse: boolean } } {
  const control = { down: false, loseNextResponse: false };
  const store = Object.create(inner) as Store;
  store.putIfAbsent = async (key, body, options) => {
    if (control.down) throw new StoreUnavailableError(key, 'simulated outage');
    const created = await inner.putIfAbsent(key, body, options);
    if (control.loseNextResponse) {
      control.loseNextResponse = false;
      throw new StoreUnavailableError(key, 'response lost');
    }
    return created;
  };
  return { store, control };
}

describe('LogShipper', () => {
  it('ships each flush as a new numbered chunk per stream, never rewriting one', async () => {
    const store = await freshStore();
    const shipper = await LogShipper.open(store, jobId, { intervalMs: 60_000 });
    shipper.write('stdout', 'epoch 1\n');
    shipper.write('stderr', 'warning: slow\n');
    await shipper.flush();
    shipper.write('stdout', 'epoch 2\n');
    await shipper.close();
    expect((await store.list(`runs/${jobId}/logs/`)).map((o) => o.key.split('/').at(-1))).toEqual([
      'stderr-000001.log',
      'stdout-000001.log',
      'stdout-000002.log',
    ]);
    expect(await readLogText(store, jobId, 'stdout')).toBe('epoch 1\nepoch 2\n');
    expect((await readLogs(store, jobId, { stream: 'stdout', afterIndex: 1 })).map((c) => c.text)).toEqual([
      'epoch 2\n',
    ]);
  });

  it("continues after an earlier attempt's chunks", async () => {
    const store = await freshStore();
    const first = await LogShipper.open(store, jobId);
    first.write('stdout', 'attempt 1\n');
    await first.close();
    const second = await LogShipper.open(store, jobId);
    second.write('stdout', 'attempt 2\n');
    await second.close();
    expect((await readLogs(store, jobId)).map((c) => `${c.stream}-${c.index}:${c.text}`)).toEqual([
      'stdout-1:attempt 1\n',
      'stdout-2:attempt 2\n',
    ]);
  });

  it('moves past a chunk index another shipper of the job took', async () => {
    const store = await freshStore();
    const a = await LogShipper.open(store, jobId);
    const b = await LogShipper.open(store, jobId);
    a.write('stdout', 'from a\n');
    b.write('stdout', 'from b\n');
    await a.close();
    await b.close();
    expect((await readLogs(store, jobId)).map((c) => `${c.index}:${c.text}`)).toEqual([
      '1:from a\n',
      '2:from b\n',
    ]);
  });

  it('keeps text through a store outage and ships it once back (outage simulated around a real store)', async () => {
    const inner = await freshStore();
    const { store, control } = flaky(inner);
    const shipper = await LogShipper.open(store, jobId, { intervalMs: 60_000 });
    shipper.write('stdout', 'before\n');
    control.down = true;
    await expect(shipper.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
    shipper.write('stdout', 'during\n');
    control.down = false;
    control.loseNextResponse = true;
    await expect(shipper.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
    shipper.write('stdout', 'after\n');
    await shipper.close();
    expect(await readLogText(inner, jobId, 'stdout')).toBe('before\nduring\nafter\n');
  });

  it('drops the oldest text past its buffer limit and says how much', async () => {
    const inner = await freshStore();
    const { store, control } = flaky(inner);
    const shipper = await LogShipper.open(store, jobId, { intervalMs: 60_000, maxBufferedChars: 10 });
    control.down = true;
    shipper.write('stderr', 'aaaaaaaaaa');
    shipper.write('stderr', 'bbbbb\n');
    control.down = false;
    await shipper.close();
    expect(await readLogText(inner, jobId, 'stderr')).toBe(
      '[6 characters dropped while storage was unavailable]\naaaabbbbb\n',
    );
  });

  it('collects the lines of an attached stream and tees this process’s own output', async () => {
    const store = await freshStore();
    const shipper = await LogShipper.open(store, jobId, { intervalMs: 60_000 });
    const child = new PassThrough();
    const done = shipper.attach('stdout', child);
    child.write('line one\nline ');
    child.end('two\r\n');
    await done;
    const stop = shipper.captureProcess();
    process.stderr.write('captured from stderr\n');
    stop();
    process.stderr.write('not captured\n');
    await shipper.close();
    expect(await readLogText(store, jobId, 'stdout')).toBe('line one\nline two\n');
    expect(await readLogText(store, jobId, 'stderr')).toBe('captured from stderr\n');
  });

  it('refuses stream names that could not be a key segment', async () => {
    const shipper = await LogShipper.open(await freshStore(), jobId);
    expect(() => shipper.write('../x', 'y')).toThrow(/invalid log stream/);
    await shipper.close();
  });
});
