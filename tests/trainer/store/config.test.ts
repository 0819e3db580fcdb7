import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { s3OptionsFromEnv, storeFromEnv, storeFromUrl } from '../../../trainer/store/config.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { S3Store } from '../../../trainer/store/s3-store.ts';

describe('s3OptionsFromEnv', () => {
  it('applies the defaults: bucket ldam-runner, us-east-1, virtual-hosted, conditional writes, 300 s', () => {
    expect(s3OptionsFromEnv({})).toEqual({
      bucket: 'ldam-runner',
      region: 'us-east-1',
      forcePathStyle: false,
      conditionalWrites: true,
      retry: { deadlineMs: 300_000 },
    });
  });

  it('reads every S3_* variable', () => {
    expect(
      s3OptionsFromEnv({
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_BUCKET: 'my-bucket',
        S3_REGION: 'eu-west-1',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
        S3_CONDITIONAL_WRITES: 'false',
        LDAM_STORE_DEADLINE_SECONDS: '10',
      }),
    ).toEqual({
      bucket: 'my-bucket',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      conditionalWrites: false,
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      retry: { deadlineMs: 10_000 },
    });
  });

  it('rejects half a key pair and unreadable flags', () => {
    expect(() => s3OptionsFromEnv({ S3_ACCESS_KEY_ID: 'id' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => s3OptionsFromEnv({ S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/S3_FORCE_PATH_STYLE/);
  });

  it('builds an S3Store without touching the network', () => {
    const store = storeFromEnv({ S3_BUCKET: 'abc' });
    expect(store).toBeInstanceOf(S3Store);
    expect(store.describe()).toBe('s3://abc/');
    store.close();
  });
});

describe('storeFromUrl', () => {
  it('maps s3://bucket/prefix to an S3Store with that prefix', () => {
    const store = storeFromUrl('s3://data-bucket/team/a', {});
    expect(store.describe()).toBe('s3://data-bucket/team/a/');
  });

  it('maps paths and file:// URLs to a LocalDirStore', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ldam-url-'));
    try {
      const byPath = storeFromUrl(dir);
      const byUrl = storeFromUrl(`file://${dir}`);
      expect(byPath).toBeInstanceOf(LocalDirStore);
      expect(byUrl.describe()).toBe(byPath.describe());
      await byPath.put('a/b', 'same place');
      expect(new TextDecoder().decode(await byUrl.get('a/b'))).toBe('same place');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses other schemes and bucketless URLs', () => {
    expect(() => storeFromUrl('gs://bucket/x', {})).toThrow(/unsupported/);
    expect(() => storeFromUrl('s3:///x', {})).toThrow(/no bucket/);
  });
});
