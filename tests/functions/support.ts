// Builds the API over real parts for tests: a LocalDirStore in a temp directory and the local
// runner spawning the stand-in trainer (or, in integration tests, whatever command is given).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Api, createApp } from '../../functions/app.ts';
import { type ApiConfig, parseApiConfig } from '../../functions/config.ts';
import { type Logger, silentLogger } from '../../functions/http/logger.ts';
import { LocalRunner } from '../../functions/runners/local-runner.ts';
import { LocalDirStore } from '../../trainer/store/local-dir-store.ts';
import type { Store } from '../../trainer/store/store.ts';

export const standInTrainer = fileURLToPath(new URL('./fixtures/stand-in-trainer.mjs', import.meta.url));

/** A local runner that starts the stand-in trainer (one at a time) in `mode` (STAND_IN_MODE). */
export function standInRunner(cwd: string, mode: string | undefined, graceMs = 2000): LocalRunner {
  return new LocalRunner({
    command: [process.execPath, standInTrainer],
    cwd,
    env: { PATH: process.env.PATH, ...(mode === undefined ? {} : { STAND_IN_MODE: mode }) },
    maxConcurrent: 1,
    graceMs,
  });
}

export interface TestApi extends Api {
  readonly store: Store;
  readonly runner: LocalRunner;
  readonly dir: string;
  /** Every key in the store (to prove a rejected request stored nothing). */
  keys(): Promise<string[]>;
  /** Resolves once the stand-in trainer of the job has its signal handlers installed. */
  ready(jobId: string): Promise<true>;
  close(): Promise<void>;
}

export async function makeTestApi(
  options: {
    env?: Record<string, string>;
    config?: Partial<ApiConfig>;
    mode?: string;
    graceMs?: number;
    clock?: () => Date;
    /** A store directory shared with another test API (several API servers over one store). */
    storeDir?: string;
    /** Wraps the store the app uses (e.g. to count its calls); `TestApi.store` stays the inner one. */
    wrapStore?: (store: Store) => Store;
    /** Where the app logs (default: nowhere). */
    logger?: Logger;
  } = {},
): Promise<TestApi> {
  const dir = await mkdtemp(join(tmpdir(), 'ldam-api-'));
  const store = new LocalDirStore(options.storeDir ?? join(dir, 'store'));
  const runner = standInRunner(dir, options.mode ?? 'exit:0', options.graceMs);
  const config = parseApiConfig({ LDAM_DATA_DIR: join(dir, 'data'), ...options.env }, dir, {
    eventPollMs: 50,
    ...options.config,
  });
  const api = createApp({
    store: options.wrapStore?.(store) ?? store,
    runner,
    config,
    logger: options.logger ?? silentLogger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    ...api,
    store,
    runner,
    dir,
    keys: async () => (await store.list('')).map((o) => o.key),
    ready: (jobId) =>
      waitFor(
        async () => (existsSync(join(dir, `ready-${jobId}`)) ? true : undefined),
        10_000,
        'the stand-in trainer',
      ),
    close: async () => {
      api.supervisor.stop();
      await runner.close();
      await api.supervisor.settle();
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * The environment of a real server under test: this process's, with its data in `dataDir`, the
 * embedded store (no S3_ENDPOINT) and no API keys (loopback), plus `extra`.
 */
export function serverEnv(
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, LDAM_DATA_DIR: dataDir, ...extra };
  delete env.S3_ENDPOINT;
  delete env.LDAM_API_KEYS;
  return env;
}

/** Two owners' API keys (LDAM_API_KEYS), for tests of who may see and do what. */
export const twoOwnerKeys = 'alice:secret-token-alice,bob:secret-token-bob';

/** The Authorization header of `owner`'s key in `twoOwnerKeys`. */
export const bearerOf = (owner: 'alice' | 'bob'): Record<string, string> => ({
  Authorization: `Bearer secret-token-${owner}`,
});

/** A small valid spec: synthetic data, an MLP, two epochs. */
export function tinySpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    name: 'tiny',
    dataset: {
      name: 'synthetic',
      numClasses: 3,
      maxPerClass: 40,
      synthetic: { shape: [8], testPerClass: 10 },
    },
    model: { arch: 'mlp', hidden: [16] },
    loss: { type: 'ldam' },
    optimizer: { batchSize: 16 },
    schedule: { epochs: 2 },
    checkpoint: { everyEpochs: 1 },
    resources: { gpus: 0 },
    ...overrides,
  };
}

/**
 * A run long enough to interrupt: 9000 synthetic examples of 64 features, a checkpoint every
 * epoch (the last two kept), no warm-up or augmentation.
 */
export function longSpec(epochs: number, hidden: number): Record<string, unknown> {
  return tinySpec({
    dataset: {
      name: 'synthetic',
      numClasses: 3,
      maxPerClass: 3000,
      synthetic: { shape: [64], testPerClass: 50 },
    },
    model: { arch: 'mlp', hidden: [hidden] },
    schedule: { epochs, warmupEpochs: 0 },
    augment: { crop: false, flip: false },
    checkpoint: { everyEpochs: 1, keepLast: 2 },
  });
}

/** Reads `read` until what it reads passes `ok`, and returns that. */
export function readUntil<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs?: number,
  what?: string,
): Promise<T> {
  return waitFor(
    async () => {
      const value = await read();
      return ok(value) ? value : undefined;
    },
    timeoutMs,
    what,
  );
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Running, not a zombie waiting for its parent's reaper: the state field of /proc/<pid>/stat. */
export async function processAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && !/^\d+ \(.*\) [ZX]/.test(stat);
}
