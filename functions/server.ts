// The Node entry point: the API with the embedded S3 server (when no S3_ENDPOINT is set) and the
// runner LDAM_RUNNER names (local by default). A composition root: adapters are built here.
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { ApiEnv } from '../trainer/process/contract.ts';
import { openConfiguredOrEmbeddedStore } from '../trainer/store/config.ts';
import type { Store } from '../trainer/store/store.ts';
import { type Api, createApp } from './app.ts';
import { parseApiConfig } from './config.ts';
import { ConfigError } from './errors.ts';
import { jsonLogger, type Logger } from './http/logger.ts';
import { createRunner } from './runners/select.ts';
import type { TaskRunner } from './runners/task-runner.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

export interface ServerOptions {
  readonly host?: string;
  readonly port?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** How often the supervisor reconciles active jobs (default 1000 ms). */
  readonly pollMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly api: Api;
  readonly store: Store;
  readonly runner: TaskRunner;
  /** The embedded S3 endpoint, when this server started one. */
  readonly s3Endpoint?: string;
  /** Interrupts running trainers (they checkpoint), then stops the server and the store. */
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return loopbackHosts.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const host = options.host ?? env[ApiEnv.host] ?? '127.0.0.1';
  const port = options.port ?? Number(env[ApiEnv.port] ?? 8787);
  const logger = options.logger ?? jsonLogger((line) => process.stdout.write(line));
  const config = parseApiConfig({ ...env, [ApiEnv.host]: host }, process.cwd());
  if (config.apiKeys.length === 0 && !isLoopback(host))
    throw new ConfigError(
      `refusing to listen on ${host} without API keys: set ${ApiEnv.apiKeys}=owner:token,… or listen on 127.0.0.1`,
    );
  const opened = await openConfiguredOrEmbeddedStore(env);
  const runner = createRunner(config.runnerKind, {
    env,
    store: opened.store,
    trainerEnv: opened.embedded?.childEnv() ?? {},
    localCommand: [process.execPath, join(repoRoot, 'bin', 'ldam.mjs')],
    cwd: repoRoot,
  });
  const api = createApp({ store: opened.store, runner, config, logger });
  await api.supervisor.start(options.pollMs ?? 1000);
  // Submits benchmark cells as slots free up, also when nobody polls; resumes unfinished benchmarks.
  await api.benchmarks.driver.start();
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: api.app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info('listening', { url, runner: runner.kind, store: opened.store.describe() });
  let closing: Promise<void> | undefined;
  return {
    url,
    api,
    store: opened.store,
    runner,
    ...(opened.embedded === undefined ? {} : { s3Endpoint: opened.embedded.endpoint }),
    close: () => {
      closing ??= (async () => {
        // Trainers checkpoint and exit 75 first; the supervisor records every exit (their jobs
        // queued again for the next start) while the store is still up, and only then it closes.
        api.benchmarks.driver.stop();
        api.supervisor.drain();
        await runner.close();
        await api.supervisor.settle();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await opened.close();
      })();
      return closing;
    },
  };
}
