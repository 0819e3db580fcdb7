import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DataError } from './errors.ts';
import type { S3Location } from './source-policy.ts';
import { extractTar } from './tar.ts';

/** The read side of object storage a dataset download needs (the S3 Store adapter provides it). */
export interface ObjectSource {
  /** Every object under the prefix. */
  list(prefix: string): Promise<readonly { readonly key: string; readonly size: number }[]>;
  get(key: string): Promise<Uint8Array>;
  /** Bytes [start, start + length) of an object; without it shards are only read whole. */
  getRange?(key: string, start: number, length: number): Promise<Uint8Array>;
}
export type ObjectSourceFactory = (bucket: string) => ObjectSource;

export type FetchLike = (url: string, init: { redirect: 'error' }) => Promise<Response>;

const sourceField = 'dataset.source';

async function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
}

// Write then rename, so an interrupted download never leaves a short file that looks cached.
async function writeAtomically(path: string, body: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.part-${process.pid}`;
  await writeFile(partial, body);
  await rename(partial, path);
}

function relativeKey(key: string, prefix: string, url: string): string | undefined {
  const rel = key.slice(prefix.length);
  if (rel === '' || rel.endsWith('/')) return undefined;
  const segments = rel.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..') || rel.includes('\\'))
    throw new DataError(sourceField, `object '${key}' under ${url} has an unsafe name`);
  return rel;
}

/** Mirrors every object under an s3 prefix into `<cacheRoot>/s3/<bucket>/<prefix>`; returns that directory. */
export async function downloadS3Prefix(
  location: S3Location,
  objects: ObjectSource,
  cacheRoot: string,
  maxBytes: number,
): Promise<string> {
  const url = `s3://${location.bucket}/${location.prefix}`;
  const listing = await objects.list(location.prefix);
  const wanted = listing.flatMap((o) => {
    const rel = relativeKey(o.key, location.prefix, url);
    return rel === undefined ? [] : [{ ...o, rel }];
  });
  if (wanted.length === 0) throw new DataError(sourceField, `no objects under ${url}`);
  const total = wanted.reduce((sum, o) => sum + o.size, 0);
  if (total > maxBytes)
    throw new DataError(sourceField, `${url} holds ${total} bytes, over the ${maxBytes}-byte cap`);
  const dir = join(cacheRoot, 's3', location.bucket, ...location.prefix.split('/').filter((s) => s !== ''));
  for (const object of wanted) {
    const path = join(dir, ...object.rel.split('/'));
    if ((await sizeOf(path)) === object.size) continue;
    await writeAtomically(path, await objects.get(object.key));
  }
  return dir;
}

function byteCap(maxBytes: number, url: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new DataError(sourceField, `${url} is larger than the ${maxBytes}-byte cap`));
      else done(null, chunk);
    },
  });
}

const archiveName = /\.(tar|tar\.gz|tgz)$/i;

/**
 * Downloads one https file into `<cacheRoot>/https/<host>/<hash of url>/`, at most `maxBytes`, and
 * unpacks it there when it is a tar archive; returns that directory.
 */
export async function downloadUrl(
  url: URL,
  fetchFn: FetchLike,
  cacheRoot: string,
  maxBytes: number,
): Promise<string> {
  const hash = createHash('sha256').update(url.href).digest('hex').slice(0, 16);
  const dir = join(cacheRoot, 'https', url.hostname, hash);
  const done = join(dir, '.complete');
  if ((await sizeOf(done)) !== undefined) return dir;
  const fileName =
    decodeURIComponent(url.pathname.split('/').pop() ?? '').replace(/[^\w.-]/g, '_') || 'download';
  let response: Response;
  try {
    response = await fetchFn(url.href, { redirect: 'error' });
  } catch (error) {
    throw new DataError(sourceField, `cannot download ${url.href} (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (!response.ok || response.body === null)
    throw new DataError(sourceField, `download of ${url.href} failed with HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes)
    throw new DataError(sourceField, `${url.href} is ${declared} bytes, over the ${maxBytes}-byte cap`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileName);
  const partial = `${path}.part-${process.pid}`;
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(body, byteCap(maxBytes, url.href), createWriteStream(partial));
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof DataError) throw error;
    throw new DataError(sourceField, `download of ${url.href} broke off (${(error as Error).message})`, {
      cause: error,
    });
  }
  await rename(partial, path);
  if (archiveName.test(fileName)) {
    await extractTar(await readFile(path), fileName, dir, maxBytes);
    await rm(path);
  }
  await writeFile(done, url.href);
  return dir;
}
