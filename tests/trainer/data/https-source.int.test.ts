import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../trainer/data/download.ts';
import { loadDataset } from '../../../trainer/data/load.ts';
import { sourcePolicyFromEnv } from '../../../trainer/data/source-policy.ts';
import { resolveDatasetSource } from '../../../trainer/data/sources.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { makeTempDir, writeCifar10 } from './fixtures.ts';

// No TLS certificate authority exists here: the injected fetch sends https://data.example.test/…
// to a real local HTTP server, so everything but the TLS handshake is exercised.

const files = new Map<string, Buffer>();
let server: Server;
let port: number;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/moved') {
      res.writeHead(302, { location: 'https://elsewhere.test/x' }).end();
      return;
    }
    const body = files.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    // Chunked (no content-length) so the streamed size cap is what stops an oversized body.
    if (req.url?.startsWith('/chunked/')) {
      res.writeHead(200);
      res.write(body.subarray(0, 4));
      res.end(body.subarray(4));
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const viaLocalServer: FetchLike = (url, init) =>
  fetch(url.replace('https://data.example.test', `http://127.0.0.1:${port}`), init);

let base: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: base, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

const env = () => ({ LDAM_DATA_DIR: join(base, 'data'), LDAM_DATA_URL_ALLOW: 'data.example.test' });
const custom = (source: string) => ({ name: 'custom' as const, source });

describe('https dataset sources', () => {
  it('downloads a CIFAR tarball made by tar(1), unpacks it and loads it', async () => {
    await writeCifar10(join(base, 'src', 'cifar-10-batches-bin'), 2, 1);
    execFileSync('tar', ['czf', join(base, 'cifar.tar.gz'), '-C', join(base, 'src'), 'cifar-10-batches-bin']);
    files.set('/sets/cifar-10-binary.tar.gz', await readFile(join(base, 'cifar.tar.gz')));
    const spec = parseExperimentSpec({
      version: 1,
      dataset: {
        name: 'cifar10',
        source: 'https://data.example.test/sets/cifar-10-binary.tar.gz',
        imbalance: { type: 'none' },
      },
    });
    const data = await loadDataset(spec.dataset, { env: env(), fetch: viaLocalServer });
    expect(data.train.count).toBe(100);
    expect(data.test.count).toBe(10);
    expect(data.location).toContain(join('data', 'cache', 'https', 'data.example.test'));
    const before = requests.length;
    await loadDataset(spec.dataset, { env: env(), fetch: viaLocalServer });
    expect(requests.length).toBe(before);
  });

  it('rejects hosts not listed in LDAM_DATA_URL_ALLOW without a request', async () => {
    const before = requests.length;
    const policy = sourcePolicyFromEnv(env(), base);
    await expect(
      resolveDatasetSource(custom('https://other.example.test/x.tar'), policy, { fetch: viaLocalServer }),
    ).rejects.toThrow("dataset.source: host 'other.example.test' is not listed in LDAM_DATA_URL_ALLOW");
    expect(requests.length).toBe(before);
  });

  it('caps the size, by content-length and while streaming', async () => {
    files.set('/big.bin', Buffer.alloc(64, 1));
    files.set('/chunked/big.bin', Buffer.alloc(64, 1));
    const policy = sourcePolicyFromEnv(env(), base, 32);
    await expect(
      resolveDatasetSource(custom('https://data.example.test/big.bin'), policy, { fetch: viaLocalServer }),
    ).rejects.toThrow('is 64 bytes, over the 32-byte cap');
    await expect(
      resolveDatasetSource(custom('https://data.example.test/chunked/big.bin'), policy, {
        fetch: viaLocalServer,
      }),
    ).rejects.toThrow('is larger than the 32-byte cap');
  });

  it('reports HTTP failures and refuses redirects', async () => {
    const policy = sourcePolicyFromEnv(env(), base);
    await expect(
      resolveDatasetSource(custom('https://data.example.test/missing.tar'), policy, {
        fetch: viaLocalServer,
      }),
    ).rejects.toThrow('failed with HTTP 404');
    await expect(
      resolveDatasetSource(custom('https://data.example.test/moved'), policy, { fetch: viaLocalServer }),
    ).rejects.toThrow(/cannot download/);
  });
});
