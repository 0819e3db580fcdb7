import type { ObjectSource } from '../download.ts';
import { shardIndexPath } from '../shards/format.ts';
import type { Env, S3Location } from '../source-policy.ts';
import { type ImageBlobs, objectBlobs } from './blobs.ts';
import { parseShardIndex, type ShardCacheSettings, shardedBlobs } from './shard-blobs.ts';

/** Local shard cache size (`LDAM_SHARD_CACHE_MB`), default 20 GiB. */
export const shardCacheEnv = 'LDAM_SHARD_CACHE_MB';
const defaultShardCacheMiB = 20 * 1024;

export function shardCacheBytesOf(env: Env): number {
  const raw = Number(env[shardCacheEnv]);
  return (Number.isFinite(raw) && raw >= 0 ? raw : defaultShardCacheMiB) * 1024 ** 2;
}

/**
 * An s3:// image dataset: sharded (shards/index.json present: images out of tar shards, cached
 * whole while the cache has room, else by ranged GET) or one object per file.
 */
export async function s3ImageBlobs(
  location: S3Location,
  objects: ObjectSource,
  cache: ShardCacheSettings,
): Promise<ImageBlobs> {
  const plain = objectBlobs(location, objects);
  const listed = await objects.list(`${location.prefix}${shardIndexPath}`);
  if (!listed.some((o) => o.key === `${location.prefix}${shardIndexPath}`)) return plain;
  const index = parseShardIndex(await objects.get(`${location.prefix}${shardIndexPath}`));
  const key = (path: string) => `${location.prefix}${path}`;
  const getRange = objects.getRange?.bind(objects);
  return shardedBlobs(
    index,
    {
      whole: (path) => objects.get(key(path)),
      ...(getRange === undefined
        ? {}
        : { range: (path, start, length) => getRange(key(path), start, length) }),
    },
    plain,
    cache,
  );
}
