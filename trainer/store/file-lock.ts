// A lock file shared by every process using one directory: open(O_CREAT|O_EXCL) succeeds for
// exactly one of them. A holder that died leaves its file behind; one older than `staleMs` (far
// longer than any compare-and-swap takes) is broken, so a crash cannot wedge a key forever.

import { open, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FileLockOptions {
  /** Give up after this long. Default 10 s. */
  readonly timeoutMs?: number;
  /** A lock file older than this is a dead holder's. Default 10 s. */
  readonly staleMs?: number;
}

export class FileLockTimeoutError extends Error {
  constructor(path: string, timeoutMs: number) {
    super(`could not take the lock ${path} within ${timeoutMs} ms`);
    this.name = 'FileLockTimeoutError';
  }
}

const code = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

async function breakIfStale(path: string, staleMs: number): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined && Date.now() - info.mtimeMs > staleMs) await unlink(path).catch(() => undefined);
}

/** Runs `work` while holding the lock file at `path` (its directory must exist). */
export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if (code(error) !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new FileLockTimeoutError(path, timeoutMs);
      await breakIfStale(path, staleMs);
      await sleep(wait * (0.5 + Math.random()));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
