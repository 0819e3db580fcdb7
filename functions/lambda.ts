// The AWS Lambda entry point: the same API over S3 and the AWS Batch runner, streamed responses
// (SSE) through Lambda response streaming. The API, its S3 client and its Batch client are created
// on the first invocation and reused by later ones; nothing is created at module load.

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Hono, type MiddlewareHandler } from 'hono';
import { streamHandle } from 'hono/aws-lambda';
import { ApiEnv, TrainerEnv } from '../trainer/process/contract.ts';
import { storeFromEnv } from '../trainer/store/config.ts';
import { type Api, createApp } from './app.ts';
import { parseApiConfig } from './config.ts';
import { ConfigError } from './errors.ts';
import { gatewayGuard } from './http/gateway-guard.ts';
import { cachedValue } from './http/key-source.ts';
import { jsonLogger, type Logger } from './http/logger.ts';
import { reconcileTargetOf } from './jobs/reconcile-events.ts';
import { JobRecords } from './jobs/records.ts';
import { createRunner } from './runners/select.ts';
import { secretsManagerKeys, secretsManagerString } from './secrets/api-keys-secret.ts';

/** A rotated key (put-secret-value) is accepted, and the old one refused, within a minute. */
export const apiKeysCacheMs = 60_000;
/** How long the last keys serve while Secrets Manager cannot be read. */
export const apiKeysStaleMs = 15 * 60_000;

/**
 * A secret's value, read when `secretId` is set and cached so a rotation (put-secret-value) is
 * picked up within a minute; the last value serves through a Secrets Manager outage.
 */
function cachedSecret<T>(
  secretId: string | undefined,
  read: (client: SecretsManagerClient, secretId: string) => () => Promise<T>,
  what: string,
  logger: Logger,
): (() => Promise<T>) | undefined {
  if (secretId === undefined || secretId.trim() === '') return undefined;
  return cachedValue(read(new SecretsManagerClient({}), secretId.trim()), {
    ttlMs: apiKeysCacheMs,
    staleMs: apiKeysStaleMs,
    onError: (error) => logger.error(`${what} not read from Secrets Manager`, { error: String(error) }),
  });
}

let api: Api | undefined;
let records: JobRecords | undefined;

function lazyApi(): Api {
  if (api !== undefined) return api;
  const env = process.env;
  const store = storeFromEnv(env);
  records = new JobRecords(store);
  const bucket = env[TrainerEnv.s3Bucket];
  const runner = createRunner('aws-batch', {
    env,
    store,
    trainerEnv: bucket === undefined ? {} : { [TrainerEnv.s3Bucket]: bucket },
    localCommand: [],
    cwd: '/tmp',
  });
  const logger = jsonLogger((line) => process.stdout.write(line));
  const apiKeySource = cachedSecret(env[ApiEnv.apiKeysSecret], secretsManagerKeys, 'API keys', logger);
  const config = parseApiConfig({ ...env, LDAM_RUNNER: 'aws-batch' }, '/tmp', {
    ...(apiKeySource === undefined ? {} : { apiKeySource }),
  });
  // A Function URL is public: never serve it without keys.
  if (apiKeySource === undefined && config.apiKeys.length === 0)
    throw new ConfigError(`the Lambda needs ${ApiEnv.apiKeysSecret} (or ${ApiEnv.apiKeys})`);
  // No timer in Lambda: jobs are reconciled whenever they are read (GET, events).
  api = createApp({ store, runner, config, logger });
  return api;
}

let guard: MiddlewareHandler | null | undefined;

/** Only the HTTP API (throttled) may reach the non-streaming routes: see http/gateway-guard.ts. */
function lazyGuard(): MiddlewareHandler | null {
  if (guard !== undefined) return guard;
  const logger = jsonLogger((line) => process.stdout.write(line));
  const token = cachedSecret(
    process.env[ApiEnv.gatewayTokenSecret],
    secretsManagerString,
    'gateway token',
    logger,
  );
  guard = token === undefined ? null : gatewayGuard(token);
  return guard;
}

const root = new Hono();
root.use('*', (c, next) => lazyGuard()?.(c, next) ?? next());
root.all('*', (c) => lazyApi().app.fetch(c.req.raw));

export const handler = streamHandle(root);

/**
 * EventBridge target (infra/lib/job-reconciler.ts): a Batch job state change reconciles its job, the
 * schedule every unfinished one, so jobs advance without anyone reading them.
 */
export async function reconcileHandler(event: unknown): Promise<{ reconciled: number }> {
  const target = reconcileTargetOf(event);
  if (target === undefined) return { reconciled: 0 };
  const { supervisor } = lazyApi();
  const ids = target.kind === 'jobs' ? target.jobIds : await unfinishedJobIds();
  for (const id of ids) await supervisor.reconcile(id);
  return { reconciled: ids.length };
}

async function unfinishedJobIds(): Promise<string[]> {
  const { supervisor } = lazyApi();
  const unfinished: string[] = [];
  for (const id of (await records?.allIds()) ?? []) {
    const { state } = await supervisor.load(id);
    if (!state.terminal && state.attempt > 0) unfinished.push(id);
  }
  return unfinished;
}
