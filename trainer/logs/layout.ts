// Log chunks: runs/<jobId>/logs/<stream>-<n, 6 digits>.log, created once and never rewritten.

import { runKey } from '../store/keys.ts';

const streamPattern = /^[a-z][a-z0-9]{0,31}$/;

export function assertStreamName(stream: string): string {
  if (!streamPattern.test(stream))
    throw new Error(`invalid log stream name '${stream}' (1–32 of [a-z0-9], starting with a letter)`);
  return stream;
}

export function logsPrefix(jobId: string): string {
  return `${runKey(jobId, 'logs')}/`;
}

export function logChunkKey(jobId: string, stream: string, index: number): string {
  return runKey(jobId, 'logs', `${assertStreamName(stream)}-${String(index).padStart(6, '0')}.log`);
}

export function parseLogChunkKey(key: string): { stream: string; index: number } | undefined {
  const match = /\/logs\/([a-z][a-z0-9]{0,31})-(\d{6})\.log$/.exec(key);
  return match?.[1] === undefined || match[2] === undefined
    ? undefined
    : { stream: match[1], index: Number(match[2]) };
}
