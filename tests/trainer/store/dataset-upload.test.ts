import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DatasetSourceError,
  datasetManifestSchema,
  datasetSource,
  type UploadProgress,
  uploadDataset,
} from '../../../trainer/store/dataset-upload.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';

const roots: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ldam-dataset-'));
  roots.push(dir);
  return dir;
}
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function datasetDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir();
  for (const [path, body] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), body);
  }
  return dir;
}

const sha = (body: string | Buffer): string => createHash('sha256').update(body).digest('hex');

describe('uploadDataset', () => {
  it('copies every file, records sizes and sha256 in manifest.json, and reports progress', async () => {
    const store = new LocalDirStore(await tempDir());
    const dir = await datasetDir({
      'train/0/a.png': 'aaa',
      'train/1/b.png': 'bbbb',
      'labels.csv': 'x,y\n',
      '.DS_Store': 'hidden',
    });
    const progress: UploadProgress[] = [];
    const manifest = await uploadDataset(store, dir, 'tiny-set', { onProgress: (p) => progress.push(p) });

    expect(manifest.files).toEqual([
      { path: 'labels.csv', size: 4, sha256: sha('x,y\n') },
      { path: 'train/0/a.png', size: 3, sha256: sha('aaa') },
      { path: 'train/1/b.png', size: 4, sha256: sha('bbbb') },
    ]);
    expect(manifest.totalBytes).toBe(11);
    const stored = datasetManifestSchema.parse(
      JSON.parse(new TextDecoder().decode(await store.get('datasets/tiny-set/manifest.json'))),
    );
    expect(stored).toEqual(manifest);
    expect(new TextDecoder().decode(await store.get('datasets/tiny-set/train/1/b.png'))).toBe('bbbb');
    expect(await store.head('datasets/tiny-set/.DS_Store')).toBeUndefined();
    expect(progress.filter((p) => p.phase === 'upload').at(-1)).toMatchObject({
      doneBytes: 11,
      totalBytes: 11,
    });
    expect(progress.filter((p) => p.phase === 'verify').at(-1)).toMatchObject({
      doneBytes: 11,
      totalBytes: 11,
    });
  });

  it('replaces an earlier upload of the same name, removing files no longer present', async () => {
    const store = new LocalDirStore(await tempDir());
    await uploadDataset(store, await datasetDir({ 'old.bin': 'o', 'keep.bin': 'k1' }), 'set-a');
    await uploadDataset(store, await datasetDir({ 'keep.bin': 'k2' }), 'set-a');
    expect((await store.list('datasets/set-a/')).map((o) => o.key)).toEqual([
      'datasets/set-a/keep.bin',
      'datasets/set-a/manifest.json',
    ]);
    expect(new TextDecoder().decode(await store.get('datasets/set-a/keep.bin'))).toBe('k2');
  });

  it.each([
    [{ 'bad name.png': 'x' }, /file names must be/],
    [{ 'manifest.json': '{}' }, /collide/],
    [{}, /holds no files/],
  ])('refuses a directory it cannot upload faithfully (%j)', async (files, message) => {
    const store = new LocalDirStore(await tempDir());
    const error = await uploadDataset(store, await datasetDir(files), 'set-b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetSourceError);
    expect((error as Error).message).toMatch(message);
    expect(await store.list('datasets/')).toEqual([]);
  });

  it('refuses a missing directory and an invalid dataset name', async () => {
    const store = new LocalDirStore(await tempDir());
    await expect(uploadDataset(store, '/no/such/dir', 'set-c')).rejects.toBeInstanceOf(DatasetSourceError);
    await expect(uploadDataset(store, await datasetDir({ a: 'a' }), '../x')).rejects.toThrow(/dataset name/);
  });

  it('names the source a spec should use', async () => {
    const root = await tempDir();
    expect(datasetSource(new LocalDirStore(root), 'set-d')).toBe(`${root}/datasets/set-d`);
  });
});
