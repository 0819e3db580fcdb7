// The whole service on one machine, for benchmark scripts and end-to-end tests: embedded S3,
// the local runner spawning `ldam train`, the API with benchmark routes, on a real HTTP server.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { type Api, createApp } from '../../functions/app.ts';
import type { Benchmarks } from '../../functions/benchmarks/index.ts';
import { parseApiConfig } from '../../functions/config.ts';
import { silentLogger } from '../../functions/http/logger.ts';
import { LocalRunner } from '../../functions/runners/local-runner.ts';
import { type EmbeddedS3, startEmbeddedS3 } from '../../trainer/store/embedded-s3.ts';
import type { Store } from '../../trainer/store/store.ts';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface LocalStackOptions {
  /** Holds the embedded S3 objects and the data directory. */
  readonly dir: string;
  readonly pricePerDeviceHour?: number;
  /** Trainer processes at once (default 1: the machine's cores go to one trainer). */
  readonly maxConcurrentJobs?: number;
  /** Supervisor and benchmark driver tick (default 200 ms). */
  readonly pollMs?: number;
  /** Extra environment of the trainer processes (LDAM_BACKEND, LDAM_FASHION_MNIST_DIR, …). */
  readonly trainerEnv?: Readonly<Record<string, string>>;
}

export interface LocalStack {
  readonly url: string;
  readonly store: Store;
  readonly api: Api;
  readonly benchmarks: Benchmarks;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const pollMs = options.pollMs ?? 200;
  const dataDir = join(options.dir, 'data');
  const s3: EmbeddedS3 = await startEmbeddedS3({ dataDir: join(options.dir, 's3') });
  const store = s3.createStore();
  const runner = new LocalRunner({
    command: [process.execPath, join(repositoryRoot, 'bin/ldam.mjs')],
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH, ...s3.childEnv(), LDAM_DATA_DIR: dataDir, ...options.trainerEnv },
    maxConcurrent: options.maxConcurrentJobs ?? 1,
    graceMs: 2000,
  });
  const config = parseApiConfig({ LDAM_DATA_DIR: dataDir }, repositoryRoot, {
    eventPollMs: pollMs,
    benchmarkDriverMs: pollMs,
    ...(options.pricePerDeviceHour === undefined ? {} : { pricePerDeviceHour: options.pricePerDeviceHour }),
  });
  const api = createApp({ store, runner, config, logger: silentLogger });
  const { benchmarks } = api;
  await api.supervisor.start(pollMs);
  await benchmarks.driver.start();
  const server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    api,
    benchmarks,
    stop: async () => {
      benchmarks.driver.stop();
      api.supervisor.stop();
      await runner.close();
      await new Promise((resolve) => server.close(resolve));
      await s3.stop();
    },
  };
}
