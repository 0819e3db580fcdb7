import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3Store } from '../../../trainer/store/s3-store.ts';
import {
  StoreNotFoundError,
  StorePermanentError,
  StoreUnavailableError,
} from '../../../trainer/store/store.ts';

// A real HTTP server that answers with scripted S3 error responses, then succeeds.
interface Scripted {
  status: number;
  code: string;
}

describe('S3Store error handling against a scripted S3 endpoint', () => {
  let server: Server;
  let endpoint: string;
  let script: Scripted[] = [];
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      const next = script.shift();
      if (next === undefined) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '2' });
        res.end(req.method === 'HEAD' ? undefined : 'ok');
        return;
      }
      const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${next.code}</Code><Message>scripted</Message></Error>`;
      res.writeHead(next.status, { 'content-type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    script = [];
    requests = 0;
  });

  const storeAt = (url: string, deadlineMs = 5000): S3Store =>
    new S3Store({
      bucket: 'scripted',
      endpoint: url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      retry: { deadlineMs, baseDelayMs: 5, maxDelayMs: 20 },
    });

  it('retries 5xx and throttling responses until the request succeeds', async () => {
    script = [
      { status: 503, code: 'SlowDown' },
      { status: 500, code: 'InternalError' },
      { status: 503, code: 'ServiceUnavailable' },
    ];
    const store = storeAt(endpoint);
    expect(new TextDecoder().decode(await store.get('runs/abc/x'))).toBe('ok');
    expect(requests).toBe(4);
    store.close();
  });

  it('fails fast on 403 with StorePermanentError naming the key and the reason', async () => {
    script = [{ status: 403, code: 'AccessDenied' }];
    const store = storeAt(endpoint);
    const error = await store.put('runs/abc/y', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorePermanentError);
    expect((error as StorePermanentError).key).toBe('runs/abc/y');
    expect((error as Error).message).toMatch(/AccessDenied.*403/);
    expect(requests).toBe(1);
    store.close();
  });

  it('maps a missing key to StoreNotFoundError (get) and undefined (head), a missing bucket to permanent', async () => {
    const store = storeAt(endpoint);
    script = [{ status: 404, code: 'NoSuchKey' }];
    await expect(store.get('runs/abc/z')).rejects.toBeInstanceOf(StoreNotFoundError);
    script = [{ status: 404, code: 'NotFound' }];
    expect(await store.head('runs/abc/z')).toBeUndefined();
    script = [{ status: 404, code: 'NoSuchBucket' }];
    await expect(store.get('runs/abc/z')).rejects.toBeInstanceOf(StorePermanentError);
    store.close();
  });

  it('gives up with StoreUnavailableError once 5xx responses outlast the deadline', async () => {
    script = Array.from({ length: 1000 }, () => ({ status: 503, code: 'ServiceUnavailable' }));
    const store = storeAt(endpoint, 300);
    const error = await store.get('runs/abc/w').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/ServiceUnavailable/);
    store.close();
  });

  it('gives up with StoreUnavailableError when nothing listens on the endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const store = storeAt(`http://127.0.0.1:${port}`, 300);
    await expect(store.put('runs/abc/v', 'x')).rejects.toBeInstanceOf(StoreUnavailableError);
    store.close();
  });
});
