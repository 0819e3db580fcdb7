import { resolve } from 'node:path';
import { defaultBucket, TrainerEnv } from '../process/contract.ts';

// Which dataset sources a job may name. Pure: environment in, settings out.

export type Env = Readonly<Record<string, string | undefined>>;

/** Hosts `https://` dataset sources may be downloaded from (comma-separated). */
export const dataUrlAllowEnv = 'LDAM_DATA_URL_ALLOW';
/** Root of Debian's dataset packages (`dataset-fashion-mnist` installs under it). */
export const systemDatasetsDir = '/usr/share/datasets';
/** Largest dataset an s3:// or https:// source may download, in bytes. */
export const defaultMaxDownloadBytes = 4 * 1024 ** 3;

export interface SourcePolicy {
  /** Project data directory (`LDAM_DATA_DIR`, default ./.data), absolute. */
  readonly dataDir: string;
  /** Local directories sources must lie under (not yet symlink-resolved). */
  readonly localRoots: readonly string[];
  /** `s3://bucket/prefix/` entries of LDAM_DATA_ROOTS, normalised to end with '/'. */
  readonly s3Roots: readonly string[];
  /** The project's bucket; its `datasets/` prefix is always allowed. */
  readonly projectBucket: string;
  readonly urlHosts: readonly string[];
  readonly maxDownloadBytes: number;
  /** Fashion-MNIST's directory when the spec names no source (`LDAM_FASHION_MNIST_DIR`). */
  readonly fashionMnistDir: string;
}

export function sourcePolicyFromEnv(
  env: Env,
  cwd: string,
  maxDownloadBytes = defaultMaxDownloadBytes,
): SourcePolicy {
  const dataDir = resolve(cwd, env[TrainerEnv.dataDir] || '.data');
  const configured = env[TrainerEnv.dataRoots];
  const entries =
    configured === undefined || configured.trim() === ''
      ? [systemDatasetsDir, resolve(dataDir, 'datasets')]
      : splitRoots(configured);
  return {
    dataDir,
    localRoots: entries.filter((e) => !e.startsWith('s3://')).map((e) => resolve(cwd, e)),
    s3Roots: entries.filter((e) => e.startsWith('s3://')).map(withTrailingSlash),
    projectBucket: env[TrainerEnv.s3Bucket] || defaultBucket,
    urlHosts: (env[dataUrlAllowEnv] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0),
    maxDownloadBytes,
    fashionMnistDir: env[TrainerEnv.fashionMnistDir] || resolve(systemDatasetsDir, 'fashion-mnist'),
  };
}

// `s3://a/b` contains a colon: re-join an `s3` token with the `//…` token after it.
function splitRoots(value: string): string[] {
  const tokens = value.split(':');
  const entries: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const next = tokens[i + 1];
    if (token === 's3' && next?.startsWith('//')) {
      entries.push(`s3:${next}`);
      i++;
    } else if (token.length > 0) entries.push(token);
  }
  return entries;
}

function withTrailingSlash(value: string): string {
  return value.endsWith('/') ? value : `${value}/`;
}

export interface S3Location {
  readonly bucket: string;
  /** Key prefix ending with '/' (or empty for the whole bucket). */
  readonly prefix: string;
}

const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket/prefix`; undefined if malformed or if a key segment is `.`, `..` or empty. */
export function parseS3Source(source: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(source);
  if (match === null) return undefined;
  const [, bucket = '', rawPrefix = ''] = match;
  if (!bucketName.test(bucket)) return undefined;
  const prefix = rawPrefix === '' ? '' : withTrailingSlash(rawPrefix);
  const segments = prefix.split('/').slice(0, -1);
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return { bucket, prefix };
}

/** An s3 source is allowed under an `s3://` root entry or the project bucket's `datasets/` prefix. */
export function isS3SourceAllowed(location: S3Location, policy: SourcePolicy): boolean {
  const url = `s3://${location.bucket}/${location.prefix}`;
  if (policy.s3Roots.some((root) => url.startsWith(root))) return true;
  return location.bucket === policy.projectBucket && location.prefix.startsWith('datasets/');
}
