import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { getIfPresent, putOnce } from '../../../trainer/store/write-once.ts';

describe('write-once helpers (on a real local-directory store)', () => {
  let dir: string;
  let store: LocalDirStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ldam-write-once-'));
    store = new LocalDirStore(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('getIfPresent returns the bytes, or undefined for a missing key', async () => {
    expect(await getIfPresent(store, 'a/missing')).toBeUndefined();
    await store.put('a/there', 'hello');
    expect(Buffer.from((await getIfPresent(store, 'a/there')) ?? []).toString()).toBe('hello');
  });

  it('putOnce creates, accepts its own earlier write, and refuses another body', async () => {
    expect(await putOnce(store, 'c/1', 'first')).toBe(true);
    // A retry of a write whose response was lost: the same bytes are already there.
    expect(await putOnce(store, 'c/1', 'first')).toBe(true);
    expect(await putOnce(store, 'c/1', 'other')).toBe(false);
    expect(Buffer.from(await store.get('c/1')).toString()).toBe('first');
  });
});
