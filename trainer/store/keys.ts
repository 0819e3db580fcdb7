// Store keys are built here, from validated ids only, so no caller can address an object outside
// `runs/<jobId>/` or `datasets/<name>/` (no '..', absolute paths, backslashes or empty segments).

import { randomBytes } from 'node:crypto';

const idPattern = /^[a-z0-9][a-z0-9-]{2,63}$/;
// One path segment below an id: letters, digits, '.', '_', '-'; not '.' or '..' themselves.
const segmentPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** An id, name or key segment that the key builders refuse. */
export class InvalidKeyError extends Error {
  readonly value: string;
  constructor(value: string, reason: string) {
    super(`invalid store key part '${value}': ${reason}`);
    this.name = 'InvalidKeyError';
    this.value = value;
  }
}

export function isValidJobId(id: string): boolean {
  return idPattern.test(id);
}

export function isValidDatasetName(name: string): boolean {
  return idPattern.test(name);
}

export function assertJobId(id: string): string {
  if (!isValidJobId(id))
    throw new InvalidKeyError(id, 'a job id is 3–64 of [a-z0-9-], starting alphanumeric');
  return id;
}

export function assertDatasetName(name: string): string {
  if (!isValidDatasetName(name)) {
    throw new InvalidKeyError(name, 'a dataset name is 3–64 of [a-z0-9-], starting alphanumeric');
  }
  return name;
}

/** Splits 'a/b/c' parts into checked segments; a part may hold several '/'-separated segments. */
function checkedSegments(parts: readonly string[]): string[] {
  const segments: string[] = [];
  for (const part of parts) {
    if (part.includes('\\')) throw new InvalidKeyError(part, 'backslashes are not allowed');
    for (const segment of part.split('/')) {
      if (segment === '')
        throw new InvalidKeyError(part, 'empty segment (leading, trailing or double slash)');
      if (segment === '.' || segment === '..')
        throw new InvalidKeyError(part, "'.' and '..' are not allowed");
      if (!segmentPattern.test(segment))
        throw new InvalidKeyError(part, `segment '${segment}' has invalid characters`);
      segments.push(segment);
    }
  }
  return segments;
}

/** `runs/<jobId>/<parts…>`; with no parts, the job's prefix ending in '/'. */
export function runKey(jobId: string, ...parts: string[]): string {
  const base = `runs/${assertJobId(jobId)}/`;
  return parts.length === 0 ? base : base + checkedSegments(parts).join('/');
}

/** `datasets/<name>/<parts…>`; with no parts, the dataset's prefix ending in '/'. */
export function datasetKey(name: string, ...parts: string[]): string {
  const base = `datasets/${assertDatasetName(name)}/`;
  return parts.length === 0 ? base : base + checkedSegments(parts).join('/');
}

/** Validates a relative file path (as found in a dataset directory) as key segments. */
export function checkedRelativePath(path: string): string {
  return checkedSegments([path]).join('/');
}

/**
 * A time-sortable job id: `j-<ms since epoch, base36, 9 chars>-<8 random base36 chars>`, so
 * listing `runs/` in key order lists jobs oldest first (reverse it for newest first).
 */
export function newJobId(now: number = Date.now()): string {
  const time = Math.floor(now).toString(36).padStart(9, '0');
  const bytes = randomBytes(8);
  let random = '';
  for (const b of bytes) random += (b % 36).toString(36);
  return `j-${time}-${random}`;
}

/** The creation time encoded in a `newJobId` id, or undefined for other ids. */
export function jobIdTime(id: string): Date | undefined {
  const match = /^j-([0-9a-z]{9})-[0-9a-z]{8}$/.exec(id);
  return match?.[1] === undefined ? undefined : new Date(Number.parseInt(match[1], 36));
}
