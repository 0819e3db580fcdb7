import { realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TrainerEnv } from '../process/contract.ts';
import type { DatasetSpec } from '../spec/index.ts';
import { downloadS3Prefix, downloadUrl, type FetchLike, type ObjectSourceFactory } from './download.ts';
import { DataError } from './errors.ts';
import { type DataFiles, isWithin, localDataFiles } from './files.ts';
import {
  dataUrlAllowEnv,
  isS3SourceAllowed,
  parseS3Source,
  type S3Location,
  type SourcePolicy,
  systemDatasetsDir,
} from './source-policy.ts';

const sourceField = 'dataset.source';

export interface SourceAccess {
  /** Builds the object reader of a bucket, for s3:// sources; without it they are rejected. */
  readonly objectSources?: ObjectSourceFactory | undefined;
  /** For https:// sources (default: global fetch). */
  readonly fetch?: FetchLike | undefined;
}

export interface ResolvedSource {
  /** Local directory holding the dataset's files. */
  readonly dir: string;
  /** Reads confined to where the source may lie. */
  readonly files: DataFiles;
  /** The source as the spec named it, or the default directory used. */
  readonly origin: string;
}

async function realRoots(roots: readonly string[]): Promise<string[]> {
  const resolved = await Promise.all(roots.map((root) => realpath(root).catch(() => undefined)));
  return resolved.filter((r): r is string => r !== undefined);
}

async function requireDirectory(path: string, subject: string, what: string): Promise<string> {
  const real = await realpath(path).catch(() => undefined);
  const isDir = real !== undefined && (await stat(real)).isDirectory();
  if (real === undefined || !isDir)
    throw new DataError(subject, `${what} ${path} does not exist or is not a directory`);
  return real;
}

/** Where a named dataset lives when the spec gives no source (operator configuration, so trusted). */
export function defaultSourceDir(name: DatasetSpec['name'], policy: SourcePolicy): string | undefined {
  switch (name) {
    case 'fashion-mnist':
      return policy.fashionMnistDir;
    case 'mnist':
      return join(systemDatasetsDir, 'mnist');
    case 'cifar10':
    case 'cifar100':
      return join(policy.dataDir, 'datasets', name);
    default:
      return undefined;
  }
}

/** A local `dataset.source` confined to the allowed roots (symlinks resolved). */
export async function resolveLocal(source: string, policy: SourcePolicy): Promise<ResolvedSource> {
  if (source.includes('\0') || source.split(/[\\/]/).includes('..'))
    throw new DataError(sourceField, `'${source}' must not contain '..' segments`);
  const path = resolve(policy.dataDir, 'datasets', source);
  const roots = await realRoots(policy.localRoots);
  const outside = (where: string) =>
    new DataError(
      sourceField,
      `'${source}' resolves to ${where}, outside the allowed data roots (${policy.localRoots.join(', ')}); ` +
        `set ${TrainerEnv.dataRoots} to allow another directory`,
    );
  // Checked before touching the path, so a rejected source reveals nothing about what exists there.
  if (![...policy.localRoots, ...roots].some((root) => isWithin(root, path))) throw outside(path);
  const dir = await requireDirectory(path, sourceField, 'directory');
  if (!roots.some((root) => isWithin(root, dir))) throw outside(dir);
  return { dir, files: localDataFiles(roots), origin: source };
}

/** An s3:// `dataset.source` checked against the policy, not downloaded. */
export function checkedS3Location(source: string, policy: SourcePolicy, access: SourceAccess): S3Location {
  const location = parseS3Source(source);
  if (location === undefined)
    throw new DataError(
      sourceField,
      `'${source}' is not a valid s3://bucket/prefix (no '.', '..' or empty segments)`,
    );
  if (!isS3SourceAllowed(location, policy))
    throw new DataError(
      sourceField,
      `'${source}' is neither under an s3:// entry of ${TrainerEnv.dataRoots} nor under ` +
        `s3://${policy.projectBucket}/datasets/`,
    );
  if (access.objectSources === undefined)
    throw new DataError(
      sourceField,
      `'${source}' needs object storage access, which this process was not given`,
    );
  return location;
}

async function resolveS3(
  source: string,
  policy: SourcePolicy,
  access: SourceAccess,
): Promise<ResolvedSource> {
  const location = checkedS3Location(source, policy, access);
  if (access.objectSources === undefined) throw new DataError(sourceField, 'no object storage access');
  const cacheRoot = join(policy.dataDir, 'cache');
  const dir = await downloadS3Prefix(
    location,
    access.objectSources(location.bucket),
    cacheRoot,
    policy.maxDownloadBytes,
  );
  return { dir, files: localDataFiles(await realRoots([cacheRoot])), origin: source };
}

async function resolveHttps(
  source: string,
  policy: SourcePolicy,
  access: SourceAccess,
): Promise<ResolvedSource> {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new DataError(sourceField, `'${source}' is not a valid URL`);
  }
  if (url.username !== '' || url.password !== '')
    throw new DataError(sourceField, 'URLs with credentials are not accepted');
  if (!policy.urlHosts.includes(url.hostname.toLowerCase()))
    throw new DataError(sourceField, `host '${url.hostname}' is not listed in ${dataUrlAllowEnv}`);
  const cacheRoot = join(policy.dataDir, 'cache');
  const fetchFn = access.fetch ?? ((input, init) => fetch(input, init));
  const dir = await downloadUrl(url, fetchFn, cacheRoot, policy.maxDownloadBytes);
  return { dir, files: localDataFiles(await realRoots([cacheRoot])), origin: source };
}

/**
 * Turns `dataset.source` (or the dataset's default location) into a local directory: local paths
 * must resolve, symlinks included, under an allowed root; s3:// and https:// sources are
 * downloaded into `<data dir>/cache` when allowed. Anything else is a DataError.
 */
export async function resolveDatasetSource(
  dataset: Pick<DatasetSpec, 'name' | 'source'>,
  policy: SourcePolicy,
  access: SourceAccess = {},
): Promise<ResolvedSource> {
  const { source } = dataset;
  if (source === undefined) {
    const dir = defaultSourceDir(dataset.name, policy);
    if (dir === undefined) throw new DataError(sourceField, `required for the '${dataset.name}' dataset`);
    const real = await requireDirectory(dir, dataset.name, 'default dataset directory');
    return { dir: real, files: localDataFiles(), origin: dir };
  }
  if (source.startsWith('s3://')) return resolveS3(source, policy, access);
  if (source.startsWith('https://')) return resolveHttps(source, policy, access);
  if (/^[a-z][a-z0-9+.-]*:/i.test(source))
    throw new DataError(
      sourceField,
      `'${source}': only local paths, s3:// and https:// sources are accepted`,
    );
  return resolveLocal(source, policy);
}
