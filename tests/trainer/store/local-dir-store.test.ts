import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { StorePermanentError } from '../../../trainer/store/store.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('LocalDirStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ldam-store-contract-'));
  return {
    stores: [new LocalDirStore(root), new LocalDirStore(root)],
    teardown: () => rm(root, { recursive: true, force: true }),
  };
});

describe('LocalDirStore', () => {
  const roots: string[] = [];
  const fresh = async (): Promise<{ root: string; store: LocalDirStore }> => {
    const root = await mkdtemp(join(tmpdir(), 'ldam-local-store-'));
    roots.push(root);
    return { root, store: new LocalDirStore(join(root, 'store')) };
  };
  afterEach(async () => {
    for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
  });

  it.each([
    '../outside',
    'runs/../../outside',
    '/etc/passwd',
    'runs\\x',
    'runs//x',
    'runs/./x',
    '',
    '.ldam-tmp/x',
  ])('refuses the key %j', async (key) => {
    const { store } = await fresh();
    await expect(store.put(key, 'x')).rejects.toBeInstanceOf(StorePermanentError);
    await expect(store.get(key)).rejects.toBeInstanceOf(StorePermanentError);
  });

  it('never writes outside its directory, even through a refused key', async () => {
    const { root, store } = await fresh();
    await store.put('inside/a', 'ok');
    await expect(store.put('../escaped', 'no')).rejects.toThrow();
    expect((await readdir(root)).sort()).toEqual(['store']);
  });

  it('leaves no temp files behind and hides its temp directory from listings', async () => {
    const { root, store } = await fresh();
    await store.put('a/b', '1');
    await store.putIfAbsent('a/c', '2');
    await store.putIfAbsent('a/c', '3');
    expect(await readdir(join(root, 'store', '.ldam-tmp'))).toEqual([]);
    expect((await store.list('')).map((o) => o.key)).toEqual(['a/b', 'a/c']);
  });

  it('replaces an object atomically: concurrent readers see the old or the new body, never a mix', async () => {
    const { store } = await fresh();
    const oldBody = 'o'.repeat(200_000);
    const newBody = 'n'.repeat(200_000);
    await store.put('obj', oldBody);
    const reads: Promise<string>[] = [];
    const write = store.put('obj', newBody);
    for (let i = 0; i < 20; i++) reads.push(store.get('obj').then((b) => Buffer.from(b).toString()));
    await write;
    for (const body of await Promise.all(reads)) expect([oldBody, newBody]).toContain(body);
  });

  it('lists plain files a person copied into the directory', async () => {
    const { root, store } = await fresh();
    await store.put('datasets/x/keep', 'k');
    await writeFile(join(root, 'store', 'datasets', 'x', 'copied'), 'c');
    expect((await store.list('datasets/x/')).map((o) => o.key)).toEqual([
      'datasets/x/copied',
      'datasets/x/keep',
    ]);
  });
});
