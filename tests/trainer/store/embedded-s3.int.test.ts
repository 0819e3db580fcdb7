import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedS3 } from '../../../trainer/store/embedded-s3.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('embedded s3rver over HTTP (conditional writes serialised in-process)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ldam-s3rver-'));
  const server = await startEmbeddedS3({ dataDir, bucket: 'contract-bucket' });
  const stores = [
    server.createStore({ retry: { deadlineMs: 2000 } }),
    server.createStore({ retry: { deadlineMs: 2000 } }),
  ] as const;
  return {
    stores,
    teardown: async () => {
      for (const s of stores) s.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

describe('startEmbeddedS3', () => {
  it('keeps objects in its data directory across a restart on the same port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ldam-s3rver-restart-'));
    try {
      const first = await startEmbeddedS3({ dataDir });
      expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.bucket).toBe('ldam-runner');
      const store = first.createStore();
      await store.put('runs/abc/x', 'persisted');
      store.close();
      await first.stop();
      const second = await startEmbeddedS3({ dataDir, port: first.port });
      const again = second.createStore();
      expect(new TextDecoder().decode(await again.get('runs/abc/x'))).toBe('persisted');
      again.close();
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects bucket names S3 would reject', async () => {
    await expect(startEmbeddedS3({ bucket: 'b1' })).rejects.toThrow(/invalid bucket/);
  });
});
