// The embedded S3 server (s3rver) for local use: one process owns it, listens on 127.0.0.1 and
// keeps objects under <LDAM_DATA_DIR or ./.data>/s3, so `ldam serve` needs no MinIO or AWS.

import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import { defaultBucket, TrainerEnv } from '../process/contract.ts';
import { S3Store, type S3StoreOptions } from './s3-store.ts';

/** s3rver accepts any key pair that matches its built-in account. */
export const embeddedCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface EmbeddedS3Options {
  /** Default `<LDAM_DATA_DIR or ./.data>/s3`. */
  readonly dataDir?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 'ldam-runner'; 3–63 characters, like any S3 bucket name. */
  readonly bucket?: string;
  /** Where LDAM_DATA_DIR is read from. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface EmbeddedS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly port: number;
  readonly dataDir: string;
  /** A store on this server (conditional writes serialised in-process: s3rver ignores them). */
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

export async function startEmbeddedS3(options: EmbeddedS3Options = {}): Promise<EmbeddedS3> {
  const bucket = options.bucket ?? defaultBucket;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`invalid bucket name '${bucket}': 3–63 of [a-z0-9.-]`);
  }
  const dataDir = resolve(options.dataDir ?? defaultEmbeddedDataDir(options.env));
  await mkdir(dataDir, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: dataDir,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  let stopped = false;
  return {
    endpoint,
    bucket,
    port: address.port,
    dataDir,
    createStore: (overrides = {}) =>
      new S3Store({
        bucket,
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: embeddedCredentials,
        conditionalWrites: false,
        ...overrides,
      }),
    childEnv: () => ({
      [TrainerEnv.s3Endpoint]: endpoint,
      [TrainerEnv.s3Bucket]: bucket,
      [TrainerEnv.s3Region]: 'us-east-1',
      [TrainerEnv.s3ForcePathStyle]: 'true',
      [TrainerEnv.s3AccessKeyId]: embeddedCredentials.accessKeyId,
      [TrainerEnv.s3SecretAccessKey]: embeddedCredentials.secretAccessKey,
      [TrainerEnv.s3ConditionalWrites]: 'false',
    }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Keep-alive sockets would otherwise hold the port until clients time out.
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}
