import { mkdir, open, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataError } from '../errors.ts';
import { type ShardIndex, shardIndexPath, shardIndexSchema } from '../shards/format.ts';
import type { ImageBlobs } from './blobs.ts';

/** How shard bytes are fetched from where the dataset lives. */
export interface ShardAccess {
  whole(path: string): Promise<Uint8Array>;
  /** A ranged read; without it an uncached shard is read whole for each image. */
  range?(path: string, start: number, length: number): Promise<Uint8Array>;
}

export interface ShardCacheSettings {
  /** Local directory the shards of this dataset are cached in. */
  readonly dir: string;
  /** Shards are cached whole until they would exceed this; the rest are read by range. */
  readonly budgetBytes: number;
}

/**
 * A bounded local cache of whole shards: filled on first touch while under budget, never evicted
 * (a full cache reads the remaining shards by range instead of thrashing), reused by later runs.
 */
class ShardCache {
  private used = 0;
  private readonly cached = new Set<string>();
  private readonly downloads = new Map<string, Promise<boolean>>();
  constructor(private readonly settings: ShardCacheSettings) {}

  async open(index: ShardIndex): Promise<void> {
    const sizes = new Map(index.shards.map((s) => [s.path, s.size]));
    const dir = join(this.settings.dir, 'shards');
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const path = `shards/${name}`;
      const size = (await stat(join(dir, name))).size;
      if (sizes.get(path) !== size) continue;
      this.cached.add(path);
      this.used += size;
    }
  }

  get usedBytes(): number {
    return this.used;
  }

  /** True when the shard is (now) in the cache; false when it does not fit the budget. */
  ensure(path: string, size: number, access: ShardAccess): Promise<boolean> {
    if (this.cached.has(path)) return Promise.resolve(true);
    const running = this.downloads.get(path);
    if (running !== undefined) return running;
    if (this.used + size > this.settings.budgetBytes) return Promise.resolve(false);
    this.used += size;
    const download = (async () => {
      const body = await access.whole(path);
      const target = join(this.settings.dir, path);
      await mkdir(dirname(target), { recursive: true });
      const partial = `${target}.part-${process.pid}`;
      await writeFile(partial, body);
      await rename(partial, target);
      this.cached.add(path);
      return true;
    })();
    download.catch(() => {
      this.used -= size;
    });
    this.downloads.set(path, download);
    return download.finally(() => this.downloads.delete(path));
  }

  async read(path: string, start: number, length: number): Promise<Uint8Array> {
    const file = await open(join(this.settings.dir, path), 'r');
    try {
      const out = new Uint8Array(length);
      const { bytesRead } = await file.read(out, 0, length, start);
      if (bytesRead !== length) throw new Error(`short read of ${path}`);
      return out;
    } finally {
      await file.close();
    }
  }
}

/** Parses shards/index.json; a malformed index is a DataError naming it. */
export function parseShardIndex(bytes: Uint8Array): ShardIndex {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new DataError(shardIndexPath, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = shardIndexSchema.safeParse(json);
  if (!parsed.success)
    throw new DataError(shardIndexPath, `is not a shard index (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/**
 * Images of a sharded dataset read out of its shards (cached or by range); every other file
 * (index JSON, wnids.txt, …) through `plain`. Listing a directory lists the images the index holds there.
 */
export async function shardedBlobs(
  index: ShardIndex,
  access: ShardAccess,
  plain: ImageBlobs,
  cacheSettings: ShardCacheSettings,
): Promise<ImageBlobs & { readonly cacheUsedBytes: () => number }> {
  const cache = new ShardCache(cacheSettings);
  await cache.open(index);
  return {
    read: async (path) => {
      const entry = index.files[path];
      if (entry === undefined) return plain.read(path);
      const [n, start, length] = entry;
      const shard = index.shards[n];
      if (shard === undefined)
        throw new DataError(shardIndexPath, `names shard ${n} for '${path}', which it does not list`);
      if (await cache.ensure(shard.path, shard.size, access)) return cache.read(shard.path, start, length);
      if (access.range !== undefined) return access.range(shard.path, start, length);
      return (await access.whole(shard.path)).slice(start, start + length);
    },
    listFiles: async (dir) => {
      const prefix = dir === '' ? '' : `${dir}/`;
      const names = Object.keys(index.files)
        .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .map((p) => p.slice(prefix.length));
      return names.length > 0 ? names.sort() : plain.listFiles(dir);
    },
    describe: () => `${plain.describe()} (sharded)`,
    cacheUsedBytes: () => cache.usedBytes,
  };
}
