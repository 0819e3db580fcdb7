import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newEmbeddedCredentials, startEmbeddedS3 } from '../../../trainer/store/embedded-s3.ts';
import { StorePermanentError } from '../../../trainer/store/store.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract(
  'embedded s3rver behind its authenticating front (conditional writes serialised per key)',
  async () => {
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
  },
);

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

/** One raw HTTP request, no SDK, no signature unless the caller adds headers. */
function raw(
  url: string,
  method = 'GET',
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the embedded store refuses requests not signed with this start’s credentials', () => {
  it('answers unsigned, mis-signed and tampered requests with 403 and changes nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ldam-s3rver-auth-'));
    const server = await startEmbeddedS3({ dataDir, bucket: 'auth-bucket' });
    const store = server.createStore({ retry: { deadlineMs: 1000 } });
    const intruder = server.createStore({
      credentials: newEmbeddedCredentials(),
      retry: { deadlineMs: 1000 },
    });
    try {
      await store.put('owners/bob/jobs/j1', 'bob');
      await store.put('runs/j1/job.json', '{"owner":"bob"}');
      const base = `${server.endpoint}/auth-bucket`;
      expect((await raw(`${base}?list-type=2&prefix=owners/`)).status).toBe(403);
      expect((await raw(`${base}/runs/j1/job.json`)).status).toBe(403);
      expect((await raw(`${base}/runs/j1/job.json`, 'PUT', '{"owner":"alice"}')).status).toBe(403);
      expect((await raw(`${base}/runs/j1/job.json`, 'DELETE')).status).toBe(403);
      const forged = await raw(`${base}/runs/j1/job.json`, 'GET', undefined, {
        authorization: `AWS4-HMAC-SHA256 Credential=${server.credentials.accessKeyId}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      });
      expect(forged.status).toBe(403);
      await expect(intruder.put('runs/j1/job.json', '{"owner":"alice"}')).rejects.toBeInstanceOf(
        StorePermanentError,
      );
      expect(new TextDecoder().decode(await store.get('runs/j1/job.json'))).toBe('{"owner":"bob"}');

      const url = await store.downloadUrl('runs/j1/job.json', 60);
      expect((await raw(url)).text).toBe('{"owner":"bob"}');
      expect(
        (await raw(url.replace('/runs/j1/', '/owners/bob/jobs/').replace('job.json', 'j1'))).status,
      ).toBe(403);
      expect((await raw(url.replace(/X-Amz-Signature=[0-9a-f]+&?/, ''))).status).toBe(403);
      // One hex digit changed for certain (replacing it with a fixed digit left it equal 1 time in 16).
      const tampered = url.replace(
        /X-Amz-Signature=([0-9a-f])/,
        (_, d: string) => `X-Amz-Signature=${d === 'f' ? '0' : 'f'}`,
      );
      expect((await raw(tampered)).status).toBe(403);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    } finally {
      store.close();
      intruder.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses the previous start’s credentials after a restart on the same port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ldam-s3rver-rotate-'));
    const first = await startEmbeddedS3({ dataDir });
    const old = first.createStore({ retry: { deadlineMs: 500 } });
    await old.put('runs/r/x', 'one');
    await first.stop();
    const second = await startEmbeddedS3({ dataDir, port: first.port });
    try {
      expect(second.credentials.secretAccessKey).not.toBe(first.credentials.secretAccessKey);
      // A trainer that outlived its server cannot write through the next one.
      await expect(old.put('runs/r/x', 'stale writer')).rejects.toBeInstanceOf(StorePermanentError);
      const fresh = second.createStore();
      expect(new TextDecoder().decode(await fresh.get('runs/r/x'))).toBe('one');
      fresh.close();
    } finally {
      old.close();
      await second.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
