// Refuses a job up front when its dataset source lies outside the data engineer's source policy
// (trainer/data/source-policy.ts): local paths under LDAM_DATA_ROOTS, s3:// under the project
// bucket's datasets/ prefix or a listed s3:// root, https:// only for LDAM_DATA_URL_ALLOW hosts.
// A syntactic check: the trainer checks again when it reads (symlinks resolved).
import { resolve } from 'node:path';
import { isWithin } from '../../trainer/data/files.ts';
import {
  dataUrlAllowEnv,
  isS3SourceAllowed,
  parseS3Source,
  type SourcePolicy,
} from '../../trainer/data/source-policy.ts';
import { TrainerEnv } from '../../trainer/process/contract.ts';
import type { FieldIssue } from '../errors.ts';

/** Why the source is refused, or undefined when it is allowed. */
export function sourceRefusal(source: string, policy: SourcePolicy): string | undefined {
  if (source.startsWith('s3://')) {
    const location = parseS3Source(source);
    if (location === undefined) return "not a valid s3://bucket/prefix (no '.', '..' or empty segments)";
    return isS3SourceAllowed(location, policy)
      ? undefined
      : `must lie under s3://${policy.projectBucket}/datasets/ or an s3:// entry of ${TrainerEnv.dataRoots}`;
  }
  if (source.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      return 'not a valid URL';
    }
    if (url.username !== '' || url.password !== '') return 'URLs with credentials are not accepted';
    return policy.urlHosts.includes(url.hostname.toLowerCase())
      ? undefined
      : `host '${url.hostname}' is not listed in ${dataUrlAllowEnv}`;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(source)) return 'only local paths, s3:// and https:// sources are accepted';
  if (source.includes('\0') || source.split(/[\\/]/).includes('..')) return "must not contain '..' segments";
  const path = resolve(policy.dataDir, 'datasets', source);
  return policy.localRoots.some((root) => isWithin(root, path))
    ? undefined
    : `${path} is outside the allowed data roots (${policy.localRoots.join(', ')}; ${TrainerEnv.dataRoots})`;
}

export function sourceIssues(source: string | undefined, policy: SourcePolicy): FieldIssue[] {
  if (source === undefined) return [];
  const refusal = sourceRefusal(source, policy);
  return refusal === undefined ? [] : [{ path: 'dataset.source', rule: refusal }];
}
