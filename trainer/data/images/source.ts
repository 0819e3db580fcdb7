import { join } from 'node:path';
import type { DatasetSpec } from '../../spec/index.ts';
import { DataError } from '../errors.ts';
import type { Env, SourcePolicy } from '../source-policy.ts';
import { checkedS3Location, resolveLocal, type SourceAccess } from '../sources.ts';
import { type ImageBlobs, localBlobs } from './blobs.ts';
import { s3ImageBlobs, shardCacheBytesOf } from './s3-blobs.ts';

/**
 * Where an image dataset's files are read from: a local directory under the allowed roots, or an
 * allowed s3:// prefix read object by object (or out of its shards) without downloading it first.
 */
export async function imageBlobsFor(
  dataset: DatasetSpec,
  policy: SourcePolicy,
  access: SourceAccess,
  env: Env,
): Promise<ImageBlobs> {
  const source = dataset.source ?? '';
  if (source.startsWith('s3://')) {
    const location = checkedS3Location(source, policy, access);
    if (access.objectSources === undefined) throw new DataError('dataset.source', 'no object storage access');
    const prefixDirs = location.prefix.split('/').filter((s) => s !== '');
    return s3ImageBlobs(location, access.objectSources(location.bucket), {
      dir: join(policy.dataDir, 'cache', 'shards', location.bucket, ...prefixDirs),
      budgetBytes: shardCacheBytesOf(env),
    });
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(source))
    throw new DataError(
      'dataset.source',
      `'${source}': image datasets are read from a local directory or s3://`,
    );
  const local = await resolveLocal(source, policy);
  return localBlobs(local.files, local.dir);
}
