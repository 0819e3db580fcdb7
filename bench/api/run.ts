// `npm run bench:api`: what the control plane costs as history grows. The API over real HTTP on
// loopback with the embedded S3 server (the `ldam serve` setup), finished jobs seeded straight
// through the Store to 10, 1,000 and 10,000, and at each size: submit, get and list latency
// percentiles with the store calls each request made; then the process's CPU while 100 (and at
// the end 300) queued jobs wait and nothing else happens. The runner has no free slot, so queued
// jobs stay queued (as behind a busy fleet) and nothing trains.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../functions/app.ts';
import { parseApiConfig } from '../../functions/config.ts';
import { localOwner } from '../../functions/http/auth.ts';
import { silentLogger } from '../../functions/http/logger.ts';
import { LocalRunner } from '../../functions/runners/local-runner.ts';
import { parseExperimentSpec } from '../../trainer/spec/index.ts';
import { startEmbeddedS3 } from '../../trainer/store/embedded-s3.ts';
import type { Store } from '../../trainer/store/store.ts';
import { attributedStore } from './attributed-store.ts';
import { seedFinishedJobs } from './seed.ts';
import { formatRow, type Sample, summarise, tableHeader } from './stats.ts';

const sizes = [10, 1000, 10_000];
const submitsPerSize = 100;
const readsPerKind = 100;
const idleSeconds = 20;
const specBody = {
  version: 1,
  name: 'bench-api',
  dataset: { name: 'synthetic', numClasses: 3, maxPerClass: 40, synthetic: { shape: [8], testPerClass: 10 } },
  model: { arch: 'mlp', hidden: [16] },
  loss: { type: 'ldam' },
  optimizer: { batchSize: 16 },
  schedule: { epochs: 2 },
  resources: { gpus: 0 },
};

const log = (line: string) => process.stderr.write(`${line}\n`);

async function timed(url: string, init?: RequestInit): Promise<Sample & { body: unknown }> {
  const start = performance.now();
  const response = await fetch(url, init);
  const body = await response.json();
  const ms = performance.now() - start;
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms, calls: Number(response.headers.get('x-bench-store-calls') ?? Number.NaN), body };
}

async function idleCpu(seconds: number): Promise<{ percent: number; rssMiB: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - start;
  return {
    percent: ((used.user + used.system) / 1000 / wallMs) * 100,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
  };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

interface BenchServer {
  readonly base: string;
  readonly store: Store;
  close(): Promise<void>;
}

/** The API as `ldam serve` composes it, with a runner that never has a free slot. */
async function startBenchServer(dir: string): Promise<BenchServer> {
  const s3 = await startEmbeddedS3({ dataDir: join(dir, 's3') });
  const attributed = attributedStore(s3.createStore());
  const runner = new LocalRunner({ command: ['false'], cwd: dir, env: {}, maxConcurrent: 0, graceMs: 1000 });
  const env = { LDAM_DATA_DIR: join(dir, 'data'), LDAM_MAX_ACTIVE_JOBS_PER_KEY: '1000' };
  const api = createApp({
    store: attributed.store,
    runner,
    config: parseApiConfig(env, dir),
    logger: silentLogger,
  });
  // The server's own poll period; the backstop shortened from 60 s so the idle window holds two.
  await api.supervisor.start({ pollMs: 1000, backstopMs: 10_000 });
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request) => {
      const { result, calls } = await attributed.track(() => Promise.resolve(api.app.fetch(request)));
      const response = new Response(result.body, result);
      response.headers.set('x-bench-store-calls', String(calls));
      return response;
    },
  });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store: attributed.store,
    close: async () => {
      api.supervisor.drain();
      await runner.close();
      await new Promise((resolve) => server.close(resolve));
      await s3.stop();
    },
  };
}

/** Submits, gets and list pages at one history size; returns the table rows. */
async function measure(base: string, size: number, finished: string[], queued: string[]): Promise<string[]> {
  const submit = async () => {
    const init = {
      method: 'POST',
      body: JSON.stringify(specBody),
      headers: { 'content-type': 'application/json' },
    };
    const sample = await timed(`${base}/v1/jobs`, init);
    queued.push((sample.body as { id: string }).id);
    return sample;
  };
  await submit(); // the first submit after seeding builds the owner's admission index from history
  const samples: Record<string, Sample[]> = {
    submit: [],
    'get finished': [],
    'get queued': [],
    'list page 1': [],
    'list deeper': [],
  };
  const add = async (kind: string, sample: Promise<Sample>) => samples[kind]?.push(await sample);
  for (let i = 1; i < submitsPerSize; i += 1) await add('submit', submit());
  for (let i = 0; i < readsPerKind; i += 1) {
    await add('get finished', timed(`${base}/v1/jobs/${pick(finished)}`));
    await add('get queued', timed(`${base}/v1/jobs/${pick(queued)}`));
    await add('list page 1', timed(`${base}/v1/jobs?limit=20`));
    const cursor = Buffer.from(pick(finished)).toString('base64url');
    await add('list deeper', timed(`${base}/v1/jobs?limit=20&cursor=${cursor}`));
  }
  return Object.entries(samples).map(([kind, list]) => formatRow(size, kind, summarise(list)));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ldam-bench-api-'));
  const server = await startBenchServer(dir);
  const spec = parseExperimentSpec(specBody);
  const finished: string[] = [];
  const queued: string[] = [];
  const rows: string[] = [];
  const idle: string[] = [];
  try {
    for (const size of sizes) {
      const count = size - finished.length;
      const seedStart = performance.now();
      const from = new Date(Date.parse('2026-01-01T00:00:00Z') + finished.length * 1000);
      finished.push(...(await seedFinishedJobs(server.store, { owner: localOwner, count, from, spec })));
      log(
        `seeded ${count} finished jobs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${size} stored)`,
      );
      const measured = await measure(server.base, size, finished, queued);
      rows.push(...measured);
      log(measured.join('\n'));
      if (size !== sizes[0] && size !== sizes.at(-1)) continue;
      log(`idle ${idleSeconds} s with ${queued.length} queued jobs…`);
      const { percent, rssMiB } = await idleCpu(idleSeconds);
      idle.push(
        `${size} stored, ${queued.length} queued: ${percent.toFixed(2)}% of one core over ${idleSeconds} s (rss ${rssMiB.toFixed(0)} MiB)`,
      );
      log(idle.at(-1) as string);
    }
    process.stdout.write(
      `\nAPI over loopback HTTP, embedded S3 store; latency per request, store calls per request\n${tableHeader}\n${rows.join('\n')}\n\nidle CPU (API + embedded S3 in one process):\n${idle.join('\n')}\n`,
    );
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
