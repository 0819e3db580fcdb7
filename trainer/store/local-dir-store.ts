// The Store port over a local directory: writes go to a temp file then rename (or link, for
// putIfAbsent), so a reader never sees a half-written object; keys can never leave the root.
// putIfMatch holds a per-key lock file, so processes sharing the directory swap atomically.

import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import {
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { withFileLock } from './file-lock.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import type { PutOptions, Store, StoreObjectInfo, VersionedObject } from './store.ts';
import { StoreNotFoundError, StorePermanentError } from './store.ts';

/** Temp files live here, on the same filesystem as the objects, and never appear in listings. */
const tempDirName = '.ldam-tmp';

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The entity tag of a body: its MD5 in quotes, as S3 gives for single-part objects. */
const etagOf = (bytes: Uint8Array): string => `"${createHash('md5').update(bytes).digest('hex')}"`;

// Same-process callers queue here instead of polling the lock file.
const swapLocks = new KeyedMutex();

export class LocalDirStore implements Store {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  describe(): string {
    return this.root;
  }

  /** Maps a key to a path under the root, refusing anything that could escape it. */
  private pathOf(key: string, { allowPrefix = false } = {}): string {
    const reject = (reason: string): never => {
      throw new StorePermanentError(key, reason);
    };
    if (key.includes('\\')) reject('backslashes are not allowed in keys');
    if (key.includes('\0')) reject('NUL is not allowed in keys');
    if (key.startsWith('/')) reject('keys are relative');
    const segments = key.split('/');
    if (allowPrefix && segments.at(-1) === '') segments.pop();
    if (!allowPrefix && key === '') reject('empty key');
    for (const segment of segments) {
      if (segment === '' || segment === '.' || segment === '..') reject(`invalid segment '${segment}'`);
    }
    if (segments[0] === tempDirName) reject(`'${tempDirName}' is reserved`);
    const path = resolve(this.root, ...segments);
    if (path !== this.root && !path.startsWith(this.root + sep)) reject('key escapes the store directory');
    return path;
  }

  private async tempPath(): Promise<string> {
    const dir = join(this.root, tempDirName);
    await mkdir(dir, { recursive: true });
    return join(dir, `${randomBytes(12).toString('hex')}.tmp`);
  }

  private wrap(key: string, error: unknown): Error {
    if (error instanceof StoreNotFoundError || error instanceof StorePermanentError) return error;
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return new StoreNotFoundError(key);
    return new StorePermanentError(key, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }

  /** Writes through a temp file, then `commit(temp, target)` publishes it in one step. */
  private async writeAtomically(
    key: string,
    write: (tempPath: string) => Promise<void>,
    commit: (tempPath: string, target: string) => Promise<void>,
  ): Promise<void> {
    const target = this.pathOf(key);
    const temp = await this.tempPath();
    try {
      await write(temp);
      await mkdir(dirname(target), { recursive: true });
      await commit(temp, target).catch(async (error: unknown) => {
        // A concurrent deletePrefix may remove the directory just made; make it once more.
        if (errnoCode(error) !== 'ENOENT') throw error;
        await mkdir(dirname(target), { recursive: true });
        await commit(temp, target);
      });
    } finally {
      await rm(temp, { force: true });
    }
  }

  async put(key: string, body: Uint8Array | string, _options?: PutOptions): Promise<void> {
    try {
      await this.writeAtomically(key, (temp) => writeFile(temp, body), rename);
    } catch (error) {
      throw this.wrap(key, error);
    }
  }

  async putIfAbsent(key: string, body: Uint8Array | string, _options?: PutOptions): Promise<boolean> {
    let created = true;
    try {
      await this.writeAtomically(
        key,
        (temp) => writeFile(temp, body),
        async (temp, target) => {
          // link(2) fails with EEXIST atomically, and the target appears with its full content.
          try {
            await link(temp, target);
          } catch (error) {
            if (errnoCode(error) !== 'EEXIST') throw error;
            created = false;
          }
        },
      );
    } catch (error) {
      throw this.wrap(key, error);
    }
    return created;
  }

  async putIfMatch(
    key: string,
    body: Uint8Array | string,
    etag: string,
    _options?: PutOptions,
  ): Promise<boolean> {
    this.pathOf(key);
    const lockDir = join(this.root, tempDirName, 'locks');
    const lockFile = join(lockDir, `${createHash('sha256').update(key).digest('hex')}.lock`);
    try {
      await mkdir(lockDir, { recursive: true });
      return await swapLocks.run(lockFile, () =>
        withFileLock(lockFile, async () => {
          const current = await this.getVersioned(key);
          if (current === undefined || current.etag !== etag) return false;
          await this.writeAtomically(key, (temp) => writeFile(temp, body), rename);
          return true;
        }),
      );
    } catch (error) {
      throw this.wrap(key, error);
    }
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    try {
      const body = await this.get(key);
      return { body, etag: etagOf(body) };
    } catch (error) {
      if (error instanceof StoreNotFoundError) return undefined;
      throw error;
    }
  }

  async putStream(key: string, body: Readable, _options?: PutOptions): Promise<void> {
    try {
      await this.writeAtomically(key, (temp) => pipeline(body, createWriteStream(temp)), rename);
    } catch (error) {
      throw this.wrap(key, error);
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      throw this.wrap(key, error);
    }
  }

  async stream(key: string): Promise<Readable> {
    try {
      // Opening first turns a missing file into StoreNotFoundError here, not a stream error later.
      const handle = await open(this.pathOf(key), 'r');
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        throw new StoreNotFoundError(key);
      }
      return handle.createReadStream();
    } catch (error) {
      throw this.wrap(key, error);
    }
  }

  async head(key: string): Promise<StoreObjectInfo | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
    } catch (error) {
      const wrapped = this.wrap(key, error);
      if (wrapped instanceof StoreNotFoundError) return undefined;
      throw wrapped;
    }
  }

  async list(prefix: string): Promise<StoreObjectInfo[]> {
    // Walk only the deepest directory the prefix names; filter by the partial last segment.
    const cut = prefix.lastIndexOf('/');
    const dirKey = cut < 0 ? '' : prefix.slice(0, cut + 1);
    const start = dirKey === '' ? this.root : this.pathOf(dirKey, { allowPrefix: true });
    const objects: StoreObjectInfo[] = [];
    const walk = async (dir: string, keyBase: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return;
        throw this.wrap(prefix, error);
      }
      for (const entry of entries) {
        const key = keyBase + entry.name;
        if (keyBase === '' && entry.name === tempDirName) continue;
        if (entry.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`))
            await walk(join(dir, entry.name), `${key}/`);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          const info = await stat(join(dir, entry.name)).catch(() => undefined);
          if (info !== undefined) objects.push({ key, size: info.size, lastModified: info.mtime });
        }
      }
    };
    await walk(start, dirKey);
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      const wrapped = this.wrap(key, error);
      if (!(wrapped instanceof StoreNotFoundError)) throw wrapped;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const dirs = new Set<string>();
    for (const object of await this.list(prefix)) {
      await this.delete(object.key);
      for (let dir = dirname(object.key); dir !== '.' && `${dir}/`.startsWith(prefix); dir = dirname(dir))
        dirs.add(dir);
    }
    // A prefix is not a directory on S3: the directories wholly inside it go with their last file,
    // deepest first (a pruned checkpoint left as an empty epoch-NNNN/ looked like a kept one).
    for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
      try {
        await rmdir(this.pathOf(dir));
      } catch (error) {
        const code = errnoCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw this.wrap(dir, error);
      }
    }
  }

  async downloadUrl(key: string, _expiresInSeconds?: number): Promise<string> {
    const path = this.pathOf(key);
    if ((await this.head(key)) === undefined) throw new StoreNotFoundError(key);
    return pathToFileURL(path).href;
  }
}
