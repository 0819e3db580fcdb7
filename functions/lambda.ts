// The AWS Lambda entry point: the same API over S3 and the AWS Batch runner, streamed responses
// (SSE) through Lambda response streaming. The API, its S3 client and its Batch client are created
// on the first invocation and reused by later ones; nothing is created at module load.
import { Hono } from 'hono';
import { streamHandle } from 'hono/aws-lambda';
import { TrainerEnv } from '../trainer/process/contract.ts';
import { storeFromEnv } from '../trainer/store/config.ts';
import { type Api, createApp } from './app.ts';
import { parseApiConfig } from './config.ts';
import { jsonLogger } from './http/logger.ts';
import { createRunner } from './runners/select.ts';

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
  const config = parseApiConfig({ ...env, LDAM_RUNNER: 'aws-batch' }, '/tmp');
  // No timer in Lambda: jobs are reconciled whenever they are read (GET, events).
  api = createApp({ store, runner, config, logger: jsonLogger((line) => process.stdout.write(line)) });
  return api;
}

const root = new Hono();
root.all('*', (c) => lazyApi().app.fetch(c.req.raw));

export const handler = streamHandle(root);
