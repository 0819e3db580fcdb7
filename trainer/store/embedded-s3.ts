// The embedded S3 server (s3rver) for local use: one process owns it, keeps objects under
// <LDAM_DATA_DIR or ./.data>/s3 (mode 0700), and serves them only through the authenticating front
// on 127.0.0.1 (embedded-front.ts), with credentials made afresh at every start.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import { defaultBucket, TrainerEnv } from '../process/contract.ts';
import { startEmbeddedFront } from './embedded-front.ts';
import { S3Store, type S3StoreOptions } from './s3-store.ts';
import type { SigningCredentials } from './sigv4-verify.ts';

/** A key pair valid for one start of the embedded server only. */
export function newEmbeddedCredentials(): SigningCredentials {
  return {
    accessKeyId: `LDAM${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

export interface EmbeddedS3Options {
  /** Default `<LDAM_DATA_DIR or ./.data>/s3`. */
  readonly dataDir?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 'ldam-runner'; 3–63 characters, like any S3 bucket name. */
  readonly bucket?: string;
  /** Where LDAM_DATA_DIR is read from. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: a new random pair (tests pass their own to sign raw requests). */
  readonly credentials?: SigningCredentials;
}

export interface EmbeddedS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly port: number;
  readonly dataDir: string;
  /** This start's key pair: requests signed with anything else are refused. */
  readonly credentials: SigningCredentials;
  /** A store on this server (conditional writes enforced, serialised per key, by the front). */
  createStore(options?: Partial<S3StoreOptions>): S3Store;
  /** The environment a child process (the trainer) needs to reach this server. */
  childEnv(): Record<string, string>;
  stop(): Promise<void>;
}

export function defaultEmbeddedDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const base = env[TrainerEnv.dataDir];
  return join(resolve(base === undefined || base === '' ? '.data' : base), 's3');
}

const region = 'us-east-1';

export async function startEmbeddedS3(options: EmbeddedS3Options = {}): Promise<EmbeddedS3> {
  const bucket = options.bucket ?? defaultBucket;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`invalid bucket name '${bucket}': 3–63 of [a-z0-9.-]`);
  }
  const dataDir = resolve(options.dataDir ?? defaultEmbeddedDataDir(options.env));
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // Objects (other owners' specs and results among them) are for this user's processes only.
  await chmod(dataDir, 0o700);
  const credentials = options.credentials ?? newEmbeddedCredentials();
  const s3rver = new S3rver({ silent: true, directory: dataDir, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const front = await startEmbeddedFront({
    credentials,
    region,
    handler: s3rver.callback(),
    etagOf: async (b, key) => {
      const exists = await s3rver.store.existsObject(b, key);
      return exists ? (await s3rver.store.getMetadata(b, key)).etag : undefined;
    },
    port: options.port ?? 0,
  });
  const endpoint = `http://127.0.0.1:${front.port}`;
  let stopped = false;
  return {
    endpoint,
    bucket,
    port: front.port,
    dataDir,
    credentials,
    createStore: (overrides = {}) =>
      new S3Store({
        bucket,
        endpoint,
        region,
        forcePathStyle: true,
        credentials,
        conditionalWrites: true,
        ...overrides,
      }),
    childEnv: () => ({
      [TrainerEnv.s3Endpoint]: endpoint,
      [TrainerEnv.s3Bucket]: bucket,
      [TrainerEnv.s3Region]: region,
      [TrainerEnv.s3ForcePathStyle]: 'true',
      [TrainerEnv.s3AccessKeyId]: credentials.accessKeyId,
      [TrainerEnv.s3SecretAccessKey]: credentials.secretAccessKey,
      [TrainerEnv.s3ConditionalWrites]: 'true',
    }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Keep-alive sockets would otherwise hold the port until clients time out.
      front.server.closeAllConnections();
      await new Promise<void>((done) => front.server.close(() => done()));
    },
  };
}
