import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from '../../../trainer/store/s3-store.ts';
import {
  bareS3rverCredentials,
  type ConditionalProxy,
  startBareS3rver,
  startConditionalProxy,
} from './helpers/conditional-proxy.ts';
import { describeStoreContract } from './store-contract.ts';

const storeVia = (endpoint: string, bucket: string): S3Store =>
  new S3Store({
    bucket,
    endpoint,
    forcePathStyle: true,
    credentials: bareS3rverCredentials,
    conditionalWrites: true,
    retry: { deadlineMs: 2000 },
  });

describeStoreContract(
  'bare s3rver behind a proxy enforcing If-None-Match and If-Match (S3 conditional writes)',
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ldam-s3rver-proxy-'));
    const server = await startBareS3rver(dataDir, 'conditional-bucket');
    const proxy = await startConditionalProxy(server.endpoint);
    const stores = [
      storeVia(proxy.endpoint, server.bucket),
      storeVia(proxy.endpoint, server.bucket),
    ] as const;
    return {
      stores,
      teardown: async () => {
        for (const s of stores) s.close();
        await proxy.stop();
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
);

describe('S3Store request paths (observed through the proxy)', () => {
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startBareS3rver>>;
  let proxy: ConditionalProxy;
  let store: S3Store;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ldam-s3rver-paths-'));
    server = await startBareS3rver(dataDir, 'paths-bucket');
    proxy = await startConditionalProxy(server.endpoint);
    store = storeVia(proxy.endpoint, server.bucket);
  });
  afterAll(async () => {
    store.close();
    await proxy.stop();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends putIfAbsent as one conditional PUT and maps 412 to false', async () => {
    proxy.requests.length = 0;
    expect(await store.putIfAbsent('runs/paths/once', 'first')).toBe(true);
    expect(await store.putIfAbsent('runs/paths/once', 'second')).toBe(false);
    expect(proxy.requests.map((r) => r.replace(/\?.*$/, ''))).toEqual([
      'PUT /paths-bucket/runs/paths/once',
      'PUT /paths-bucket/runs/paths/once',
    ]);
    expect(new TextDecoder().decode(await store.get('runs/paths/once'))).toBe('first');
  });

  it('uploads a 6 MiB stream in parts', async () => {
    proxy.requests.length = 0;
    const body = Buffer.alloc(6 * 1024 * 1024, 7);
    await store.putStream('runs/paths/big', Readable.from([body]));
    expect(proxy.requests.filter((r) => r.includes('partNumber='))).toHaveLength(2);
    expect((await store.head('runs/paths/big'))?.size).toBe(body.length);
  });

  it('prefixes every key and strips the prefix from listings', async () => {
    const prefixed = new S3Store({
      bucket: server.bucket,
      endpoint: proxy.endpoint,
      forcePathStyle: true,
      credentials: bareS3rverCredentials,
      prefix: '/tenant-a/',
    });
    await prefixed.put('runs/pfx/a', 'a');
    expect(proxy.requests.at(-1)).toMatch(/^PUT \/paths-bucket\/tenant-a\/runs\/pfx\/a(\?|$)/);
    expect((await prefixed.list('runs/pfx/')).map((o) => o.key)).toEqual(['runs/pfx/a']);
    expect(prefixed.describe()).toBe('s3://paths-bucket/tenant-a/');
    prefixed.close();
  });
});
