// Refuses a job up front when its dataset source lies outside the data engineer's source policy
// (trainer/data/source-policy.ts): local paths under LDAM_DATA_ROOTS, s3:// under the project
// bucket's datasets/ prefix or a listed s3:// root, https:// only for LDAM_DATA_URL_ALLOW hosts.
// Where the API sees the trainer's files (the local runner), a local path is also resolved as the
// trainer will resolve it (symlinks followed, the directory must exist); elsewhere (docker,
// aws-batch: the path names a file in the trainer's container) the check is syntactic and the
// trainer's own check, when it reads, is the one that holds.
import { resolve } from 'node:path';
import { DataError } from '../../trainer/data/errors.ts';
import { isWithin } from '../../trainer/data/files.ts';
import {
  dataUrlAllowEnv,
  isS3SourceAllowed,
  parseS3Source,
  type SourcePolicy,
} from '../../trainer/data/source-policy.ts';
import { resolveLocal } from '../../trainer/data/sources.ts';
import { TrainerEnv } from '../../trainer/process/contract.ts';
import type { RunnerKind } from '../config.ts';
import type { FieldIssue } from '../errors.ts';

const sourceField = 'dataset.source';

/** Runners whose trainer reads this machine's files, so the API can check a local source as it will. */
export function seesTrainerFiles(runnerKind: RunnerKind): boolean {
  return runnerKind === 'local';
}

/** Why the source is refused by its text alone, or undefined when it is allowed. */
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
  if (isOtherScheme(source)) return 'only local paths, s3:// and https:// sources are accepted';
  if (source.includes('\0') || source.split(/[\\/]/).includes('..')) return "must not contain '..' segments";
  const path = resolve(policy.dataDir, 'datasets', source);
  return policy.localRoots.some((root) => isWithin(root, path))
    ? undefined
    : `${path} is outside the allowed data roots (${policy.localRoots.join(', ')}; ${TrainerEnv.dataRoots})`;
}

const isOtherScheme = (source: string) => /^[a-z][a-z0-9+.-]*:/i.test(source);
const isLocal = (source: string) =>
  !source.startsWith('s3://') && !source.startsWith('https://') && !isOtherScheme(source);

/**
 * The source's refusal as field issues. With `resolveLocal`, a local path that passed the text
 * check is resolved with the trainer's own resolver: a symlink leading out of the roots, a
 * missing directory or a file is refused here instead of failing the job later with exit 3.
 */
export async function sourceIssues(
  source: string | undefined,
  policy: SourcePolicy,
  options: { readonly resolveLocal: boolean },
): Promise<FieldIssue[]> {
  if (source === undefined) return [];
  const refusal = sourceRefusal(source, policy);
  if (refusal !== undefined) return [{ path: sourceField, rule: refusal }];
  if (!options.resolveLocal || !isLocal(source)) return [];
  try {
    await resolveLocal(source, policy);
    return [];
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    // The trainer's message starts with the field it names: keep only the rule.
    const rule = error.message.startsWith(`${sourceField}: `)
      ? error.message.slice(sourceField.length + 2)
      : error.message;
    return [{ path: sourceField, rule }];
  }
}
