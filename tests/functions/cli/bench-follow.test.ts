import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runBench } from '../../../functions/cli/bench.ts';
import { makeTestApi, type TestApi, tinySpec } from '../support.ts';

// `ldam bench run --follow` keeps following through a dropped poll: the real API app behind a
// real HTTP proxy that kills the connection of the first status request.

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('ldam bench --follow', () => {
  it('retries a status poll whose connection dropped and finishes the benchmark', async () => {
    api = await makeTestApi();
    const app = api.app;
    let dropped = 0;
    const proxy = createServer(async (req, res) => {
      if (req.method === 'GET' && /^\/v1\/benchmarks\/[^/]+$/.test(req.url ?? '') && dropped === 0) {
        dropped += 1;
        req.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const response = await app.request(req.url ?? '/', {
        method: req.method ?? 'GET',
        headers: req.headers as Record<string, string>,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const out: string[] = [];
    const err: string[] = [];
    const spec = `${api.dir}/benchmark.json`;
    await writeFile(spec, JSON.stringify({ version: 1, base: tinySpec() }));
    try {
      const code = await runBench(['run', spec, '--follow', '--interval', '0.05', '--url', url], {
        stdout: { write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WritableStream,
        stderr: { write: (s: string) => err.push(s) > 0 } as unknown as NodeJS.WritableStream,
        env: {},
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      });
      expect(code, err.join('')).toBe(0);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
    expect(dropped).toBe(1);
    expect(err.join('')).toMatch(/poll failed \(TypeError: fetch failed\); retry 1 of 9/);
    expect(out.join('')).toContain('completed — 1 done');
  });
});
