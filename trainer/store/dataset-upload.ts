// Copies a local dataset directory to datasets/<name>/ in a store: every file streamed up
// (multipart on S3 for large ones), its sha256 recorded, read back and checked, and
// datasets/<name>/manifest.json written last, so a dataset with a manifest is complete.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { z } from 'zod';
import { assertDatasetName, checkedRelativePath, datasetKey, InvalidKeyError } from './keys.ts';
import type { Store } from './store.ts';
import { StoreUnavailableError } from './store.ts';

export const datasetManifestName = 'manifest.json';

export const datasetManifestSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  createdAt: z.string(),
  totalBytes: z.number().int().nonnegative(),
  files: z.array(
    z.object({
      /** Relative to datasets/<name>/, '/'-separated. */
      path: z.string(),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});
export type DatasetManifest = z.infer<typeof datasetManifestSchema>;

/** The local directory cannot be uploaded as it is (missing, empty, unusable file names). */
export class DatasetSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetSourceError';
  }
}

export interface UploadProgress {
  readonly doneBytes: number;
  readonly totalBytes: number;
  readonly file: string;
  readonly phase: 'upload' | 'verify';
}

export interface UploadDatasetOptions {
  readonly onProgress?: (progress: UploadProgress) => void;
}

interface LocalFile {
  readonly path: string;
  readonly absolute: string;
  readonly size: number;
}

/** Every regular file under dir, skipping hidden entries; names must be valid key segments. */
async function listLocalFiles(dir: string): Promise<LocalFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw new DatasetSourceError(`'${dir}' is not a directory`);
  const files: LocalFile[] = [];
  const invalid: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const absolute = join(current, entry.name);
      if (entry.isDirectory()) await walk(absolute);
      else if (entry.isFile()) {
        const path = relative(dir, absolute).split(sep).join('/');
        try {
          files.push({ path: checkedRelativePath(path), absolute, size: (await stat(absolute)).size });
        } catch (error) {
          if (!(error instanceof InvalidKeyError)) throw error;
          invalid.push(path);
        }
      }
    }
  };
  await walk(dir);
  if (invalid.length > 0) {
    throw new DatasetSourceError(
      `file names must be letters, digits, '.', '_' and '-': ${invalid.slice(0, 5).join(', ')}${invalid.length > 5 ? ', …' : ''}`,
    );
  }
  if (files.length === 0) throw new DatasetSourceError(`'${dir}' holds no files`);
  if (files.some((f) => f.path === datasetManifestName)) {
    throw new DatasetSourceError(`'${dir}/${datasetManifestName}' would collide with the dataset manifest`);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function sha256Of(stream: Readable, onBytes: (n: number) => void = () => undefined): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) {
    hash.update(chunk as Uint8Array);
    onBytes((chunk as Uint8Array).byteLength);
  }
  return hash.digest('hex');
}

/**
 * Streams one file up, hashing what is sent; a dropped connection reopens the file and sends it
 * again. Returns the sha256 of the bytes sent.
 */
async function uploadFile(
  store: Store,
  key: string,
  file: LocalFile,
  onBytes: (n: number) => void,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    let sent = 0;
    const hash = createHash('sha256');
    const source = createReadStream(file.absolute);
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        sent += chunk.length;
        onBytes(chunk.length);
        callback(null, chunk);
      },
    });
    source.on('error', (error) => tap.destroy(error));
    source.pipe(tap);
    try {
      await store.putStream(key, tap, { contentType: 'application/octet-stream' });
      if (sent !== file.size) throw new DatasetSourceError(`${file.absolute} changed size while uploading`);
      return hash.digest('hex');
    } catch (error) {
      source.destroy();
      onBytes(-sent);
      if (!(error instanceof StoreUnavailableError) || attempt >= 5) throw error;
    }
  }
}

export async function uploadDataset(
  store: Store,
  dir: string,
  name: string,
  options: UploadDatasetOptions = {},
): Promise<DatasetManifest> {
  assertDatasetName(name);
  const files = await listLocalFiles(dir);
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const manifestKey = datasetKey(name, datasetManifestName);
  // Without a manifest the dataset reads as incomplete until this upload has been verified.
  await store.delete(manifestKey);

  let done = 0;
  const report = (file: string, phase: UploadProgress['phase']) => (n: number) => {
    done += n;
    options.onProgress?.({ doneBytes: done, totalBytes, file, phase });
  };
  const entries: DatasetManifest['files'] = [];
  for (const file of files) {
    const sha256 = await uploadFile(store, datasetKey(name, file.path), file, report(file.path, 'upload'));
    entries.push({ path: file.path, size: file.size, sha256 });
  }

  done = 0;
  for (const entry of entries) {
    const key = datasetKey(name, entry.path);
    const stored = await sha256Of(await store.stream(key), report(entry.path, 'verify'));
    if (stored !== entry.sha256)
      throw new Error(`verification failed: ${key} does not match the local file's sha256`);
  }

  const wanted = new Set(entries.map((e) => datasetKey(name, e.path)));
  for (const object of await store.list(datasetKey(name))) {
    if (!wanted.has(object.key)) await store.delete(object.key);
  }
  const manifest: DatasetManifest = {
    version: 1,
    name,
    createdAt: new Date().toISOString(),
    totalBytes,
    files: entries,
  };
  await store.put(manifestKey, JSON.stringify(manifest, null, 2), { contentType: 'application/json' });
  return manifest;
}

/** The source string a spec uses for the dataset in this store (s3://bucket/…/datasets/<name>). */
export function datasetSource(store: Store, name: string): string {
  const location = store.describe();
  const base = location.endsWith('/') ? location : `${location}/`;
  return `${base}${datasetKey(name).slice(0, -1)}`;
}
