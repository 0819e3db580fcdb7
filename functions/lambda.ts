// The AWS Lambda entry point: the same API over S3 and the AWS Batch runner, streamed responses
// (SSE) through Lambda response streaming. The API, its S3 client and its Batch client are created
// on the first invocation and reused by later ones; nothing is created at module load.

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Hono } from 'hono';
import { streamHandle } from 'hono/aws-lambda';
import { ApiEnv, TrainerEnv } from '../trainer/process/contract.ts';
import { storeFromEnv } from '../trainer/store/config.ts';
import { type Api, createApp } from './app.ts';
import { parseApiConfig } from './config.ts';
import { ConfigError } from './errors.ts';
import { type ApiKeySource, cachedKeySource } from './http/key-source.ts';
import { jsonLogger, type Logger } from './http/logger.ts';
import { createRunner } from './runners/select.ts';
import { secretsManagerKeys } from './secrets/api-keys-secret.ts';

/** A rotated key (put-secret-value) is accepted, and the old one refused, within a minute. */
export const apiKeysCacheMs = 60_000;
/** How long the last keys serve while Secrets Manager cannot be read. */
export const apiKeysStaleMs = 15 * 60_000;

function secretKeySource(secretId: string | undefined, logger: Logger): ApiKeySource | undefined {
  if (secretId === undefined || secretId.trim() === '') return undefined;
  const fetchKeys = secretsManagerKeys(new SecretsManagerClient({}), secretId.trim());
  return cachedKeySource(fetchKeys, {
    ttlMs: apiKeysCacheMs,
    staleMs: apiKeysStaleMs,
    onError: (error) => logger.error('API keys not read from Secrets Manager', { error: String(error) }),
  });
}

let api: Api | undefined;

function lazyApi(): Api {
  if (api !== undefined) return api;
  const env = process.env;
  const store = storeFromEnv(env);
  const bucket = env[TrainerEnv.s3Bucket];
  const runner = createRunner('aws-batch', {
    env,
    store,
    trainerEnv: bucket === undefined ? {} : { [TrainerEnv.s3Bucket]: bucket },
    localCommand: [],
    cwd: '/tmp',
  });
  const logger = jsonLogger((line) => process.stdout.write(line));
  const apiKeySource = secretKeySource(env[ApiEnv.apiKeysSecret], logger);
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

const root = new Hono();
root.all('*', (c) => lazyApi().app.fetch(c.req.raw));

export const handler = streamHandle(root);
