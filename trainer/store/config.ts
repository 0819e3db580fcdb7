// Composition helpers: build a Store from the process environment (names in the process contract)
// or from a location string ('s3://bucket/prefix' or a local directory).

import { fileURLToPath } from 'node:url';
import { defaultBucket, TrainerEnv } from '../process/contract.ts';
import { type EmbeddedS3, startEmbeddedS3 } from './embedded-s3.ts';
import { LocalDirStore } from './local-dir-store.ts';
import { storeDeadlineMsFromEnv } from './retry.ts';
import { S3Store, type S3StoreOptions } from './s3-store.ts';
import type { Store } from './store.ts';

export type Env = Readonly<Record<string, string | undefined>>;

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  if (raw === 'false' || raw === '0' || raw === 'no') return false;
  throw new Error(`${name} must be true or false, got '${env[name]}'`);
}

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** S3 settings from S3_* and LDAM_STORE_DEADLINE_SECONDS; bucket and prefix may be overridden. */
export function s3OptionsFromEnv(
  env: Env,
  overrides: { bucket?: string; prefix?: string } = {},
): S3StoreOptions {
  const endpoint = nonEmpty(env, TrainerEnv.s3Endpoint);
  const accessKeyId = nonEmpty(env, TrainerEnv.s3AccessKeyId);
  const secretAccessKey = nonEmpty(env, TrainerEnv.s3SecretAccessKey);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error(`set both ${TrainerEnv.s3AccessKeyId} and ${TrainerEnv.s3SecretAccessKey}, or neither`);
  }
  return {
    bucket: overrides.bucket ?? nonEmpty(env, TrainerEnv.s3Bucket) ?? defaultBucket,
    region: nonEmpty(env, TrainerEnv.s3Region) ?? 'us-east-1',
    forcePathStyle: flag(env, TrainerEnv.s3ForcePathStyle, false),
    conditionalWrites: flag(env, TrainerEnv.s3ConditionalWrites, true),
    retry: { deadlineMs: storeDeadlineMsFromEnv(env) },
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(accessKeyId === undefined || secretAccessKey === undefined
      ? {}
      : { credentials: { accessKeyId, secretAccessKey } }),
    ...(overrides.prefix === undefined ? {} : { prefix: overrides.prefix }),
  };
}

/** The store the environment names: S3_ENDPOINT unset means AWS S3 with the default credential chain. */
export function storeFromEnv(env: Env = process.env): S3Store {
  return new S3Store(s3OptionsFromEnv(env));
}

/** 's3://bucket[/prefix]' (other S3 settings from env), 'file:///dir', or a local directory path. */
export function storeFromUrl(location: string, env: Env = process.env): Store {
  if (location.startsWith('s3://')) {
    const rest = location.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1);
    if (bucket === '') throw new Error(`no bucket in '${location}'`);
    return new S3Store(s3OptionsFromEnv(env, { bucket, prefix }));
  }
  if (location.startsWith('file://')) return new LocalDirStore(fileURLToPath(location));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new Error(`unsupported store location '${location}'`);
  return new LocalDirStore(location);
}

export interface OpenedStore {
  readonly store: S3Store;
  /** Set when no endpoint was configured and this call started the embedded server. */
  readonly embedded?: EmbeddedS3;
  close(): Promise<void>;
}

/** For local commands: the configured S3 endpoint, or else the embedded server on LDAM_DATA_DIR. */
export async function openConfiguredOrEmbeddedStore(env: Env = process.env): Promise<OpenedStore> {
  if (nonEmpty(env, TrainerEnv.s3Endpoint) !== undefined) {
    const store = storeFromEnv(env);
    return { store, close: async () => store.close() };
  }
  const embedded = await startEmbeddedS3({
    env,
    bucket: nonEmpty(env, TrainerEnv.s3Bucket) ?? defaultBucket,
  });
  const store = embedded.createStore({ retry: { deadlineMs: storeDeadlineMsFromEnv(env) } });
  return {
    store,
    embedded,
    close: async () => {
      store.close();
      await embedded.stop();
    },
  };
}
