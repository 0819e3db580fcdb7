import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeValue } from '../../../functions/benchmarks/overrides.ts';
import { latestPointerKey } from '../../../trainer/checkpoint/index.ts';
import { currentMetricRecords, eventsPrefix, readEvents } from '../../../trainer/events/log.ts';
import { reduceJobState } from '../../../trainer/events/reduce.ts';
import type { JobEvent, MetricEvent } from '../../../trainer/events/types.ts';
import { parseReport } from '../../../trainer/reports/index.ts';
import {
  type EmbeddedS3,
  LocalDirStore,
  runKey,
  type Store,
  startEmbeddedS3,
} from '../../../trainer/store/index.ts';
import { type ChildResult, jsonLines, runLdam, syntheticSpec } from './child.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-resilience-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** ~3,700 long-tailed 8-d examples in batches of 4: an epoch takes about a second on wasm. */
function spec(epochs: number, checkpointEvery: number): Record<string, unknown> {
  return mergeValue(syntheticSpec(), {
    dataset: { maxPerClass: 2000, synthetic: { testPerClass: 20 } },
    rebalance: { afterEpoch: Math.ceil(epochs / 2) },
    optimizer: { batchSize: 4 },
    schedule: { epochs },
    checkpoint: { everyEpochs: checkpointEvery },
  }) as Record<string, unknown>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Polls `probe` until it returns a value; fails after `timeoutMs` or once `gaveUp` settles. */
async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  gaveUp?: Promise<unknown>,
): Promise<T> {
  let over = false;
  void gaveUp?.then(() => {
    over = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !over) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${what}`);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The trainer writer's records exactly as stored, chunk by chunk, without the reader's checks. */
async function storedTrainerEvents(store: Store, jobId: string): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  for (const { key } of await store.list(`${eventsPrefix(jobId)}trainer/`))
    for (const line of new TextDecoder().decode(await store.get(key)).split('\n'))
      if (line.trim() !== '') events.push(JSON.parse(line) as JobEvent);
  return events;
}

const metrics = (events: readonly JobEvent[], key: string): MetricEvent[] =>
  events.filter((e): e is MetricEvent => e.kind === 'metric' && e.key === key);

async function latestCheckpointEpoch(store: Store, jobId: string): Promise<number | undefined> {
  const body = await store.get(latestPointerKey(jobId)).catch(() => undefined);
  return body === undefined
    ? undefined
    : (JSON.parse(new TextDecoder().decode(body)) as { epoch: number }).epoch;
}

async function storedReport(store: Store, jobId: string) {
  const body = await store.get(runKey(jobId, 'reports', 'report.json'));
  return parseReport(JSON.parse(new TextDecoder().decode(body)));
}

function expectGapFreeSeqs(events: readonly JobEvent[]): void {
  expect(events.map((e) => e.seq)).toEqual(range(events.length));
}

describe('ldam train survives a SIGKILL (child process, local store)', () => {
  it('the second run resumes from the checkpoint; readers see each epoch once, from the run that finished it', async () => {
    const epochs = 12;
    const jobId = 'job-sigkill';
    const out = join(dir, 'sigkill');
    const store = new LocalDirStore(out);
    await store.put(runKey(jobId, 'spec.json'), JSON.stringify(spec(epochs, 6)));

    // Killed once the stored log holds an epoch past the latest checkpoint: that epoch is re-run.
    let child: ChildProcess | undefined;
    const first = runLdam(['train', '--job', jobId, '--out', out], {
      onLine: (_line, spawned) => {
        child = spawned;
      },
    });
    const checkpointEpoch = await waitFor(
      'a logged epoch after the first checkpoint',
      async () => {
        const checkpoint = await latestCheckpointEpoch(store, jobId);
        if (checkpoint === undefined) return undefined;
        const logged = metrics((await readEvents(store, jobId)).events, 'train_loss').map((e) => e.epoch);
        return Math.max(0, ...logged) > checkpoint ? checkpoint : undefined;
      },
      60_000,
      first,
    );
    child?.kill('SIGKILL');
    const killed = await within(first, 30_000, 'the killed run');
    expect(killed.signal).toBe('SIGKILL');
    expect(await latestCheckpointEpoch(store, jobId)).toBe(checkpointEpoch);
    const loggedByKilled = metrics(await storedTrainerEvents(store, jobId), 'train_loss').map((e) => e.epoch);
    expect(Math.max(...loggedByKilled)).toBeGreaterThan(checkpointEpoch);

    const second = await within(runLdam(['train', '--job', jobId, '--out', out]), 120_000, 'the second run');
    expect(second.stderr).not.toMatch(/Error/);
    expect(second.code).toBe(0);
    const lines = jsonLines(second.stdout);
    expect(lines.find((l) => l.kind === 'resume')).toMatchObject({
      completedEpochs: checkpointEpoch,
      batchesDone: 0,
    });
    const rerun = lines.filter((l) => l.kind === 'epoch');
    expect(rerun.map((l) => l.epoch)).toEqual(range(epochs).slice(checkpointEpoch));

    const stored = await storedTrainerEvents(store, jobId);
    expectGapFreeSeqs(stored);
    const resumed = stored.filter((e) => e.kind === 'note' && e.message.startsWith('resumed from'));
    expect(resumed).toEqual([
      expect.objectContaining({
        message: `resumed from epoch ${checkpointEpoch}`,
        data: { completedEpochs: checkpointEpoch, batchesDone: 0 },
      }),
    ]);
    expect(stored.filter((e) => e.kind === 'status').map((e) => e.kind === 'status' && e.status)).toEqual([
      'running',
      'running',
      'succeeded',
    ]);

    // The log keeps both runs' records of the re-run epochs; readers see one per epoch, the last run's.
    const { events } = await readEvents(store, jobId);
    const current = metrics(currentMetricRecords(events), 'train_loss');
    expect(current.map((e) => e.epoch)).toEqual(range(epochs));
    expect(current.slice(checkpointEpoch).map((e) => e.value)).toEqual(rerun.map((l) => l.trainLoss));
    const resumedSeq = resumed[0]?.seq ?? Number.POSITIVE_INFINITY;
    expect(current.every((e) => e.seq > resumedSeq || e.epoch <= checkpointEpoch)).toBe(true);
    const state = reduceJobState(events);
    expect(state.lastEpoch).toBe(epochs);
    expect(state.latestMetrics.train_loss).toBe(rerun.at(-1)?.trainLoss);

    const report = await storedReport(store, jobId);
    expect(report.history.map((h) => h.epoch)).toEqual(range(epochs));
    expect(report.history.slice(checkpointEpoch).map((h) => h.trainLoss)).toEqual(
      rerun.map((l) => l.trainLoss),
    );
  });
});

describe('ldam train through an S3 outage (child process, embedded server)', () => {
  const bucket = 'ldam-resilience';
  let dataDir: string;
  let server: EmbeddedS3 | undefined;

  beforeAll(async () => {
    dataDir = join(dir, 's3');
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** Starts the trainer and stops the server once the first epoch is done; `onStopped` runs after. */
  function trainWithOutage(
    jobId: string,
    env: Record<string, string>,
    onStopped: (stoppedAt: number) => Promise<void>,
  ): { run: Promise<ChildResult>; outage: Promise<void> } {
    let outage: Promise<void> | undefined;
    let signalOutage: () => void = () => undefined;
    const outageStarted = new Promise<void>((resolve) => {
      signalOutage = resolve;
    });
    const run = runLdam(['train', '--job', jobId], {
      env,
      onLine: (line) => {
        if (outage !== undefined || !line.includes('"kind":"epoch"')) return;
        outage = (async () => {
          await server?.stop();
          await onStopped(Date.now());
        })();
        signalOutage();
      },
    });
    return {
      run,
      outage: Promise.race([outageStarted.then(() => outage), run.then(() => undefined)]),
    };
  }

  it('stops the server after the first epoch, restarts it on the same port and data dir: exit 0, every event stored', async () => {
    const epochs = 6;
    const jobId = 'job-outage';
    server = await startEmbeddedS3({ dataDir, bucket });
    const { port } = server;
    const env = server.childEnv();
    const before = server.createStore();
    await before.put(runKey(jobId, 'spec.json'), JSON.stringify(spec(epochs, 1)));
    before.close();

    let restartedAt = 0;
    const { run, outage } = trainWithOutage(jobId, env, async () => {
      await sleep(4000);
      // The store restarts, not the API: the same key pair, so the running trainer may write again.
      server = await startEmbeddedS3({
        dataDir,
        port,
        bucket,
        credentials: (server as EmbeddedS3).credentials,
      });
      restartedAt = Date.now();
    });
    const result = await within(run, 180_000, 'the run through the outage');
    await within(outage, 30_000, 'the outage');
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    // The outage fell inside the run: the epoch-1 checkpoint waited for the server to come back.
    expect(restartedAt).toBeGreaterThan(0);
    expect(Date.parse(String(lines.find((l) => l.epoch === 2)?.time))).toBeGreaterThan(restartedAt - 1000);

    const store = (server as EmbeddedS3).createStore();
    try {
      const stored = await storedTrainerEvents(store, jobId);
      expectGapFreeSeqs(stored);
      expect(metrics(stored, 'train_loss').map((e) => e.epoch)).toEqual(range(epochs));
      expect(metrics(stored, 'lr').map((e) => e.epoch)).toEqual(range(epochs));
      expect(metrics(stored, 'test_balanced_error').map((e) => e.epoch)).toEqual(range(epochs));
      expect(
        stored.filter((e) => e.kind === 'note' && e.message.startsWith('checkpoint at epoch')),
      ).toHaveLength(epochs);
      expect(stored.at(-1)).toMatchObject({ kind: 'status', status: 'succeeded', exitCode: 0 });
      const { events } = await readEvents(store, jobId);
      expect(events).toHaveLength(stored.length);
      expect((await storedReport(store, jobId)).history.map((h) => h.epoch)).toEqual(range(epochs));
    } finally {
      store.close();
    }
  });

  it('when the server stays away past LDAM_STORE_DEADLINE_SECONDS, exits 1 naming the key, the server and the deadline', async () => {
    const jobId = 'job-gone';
    server = await startEmbeddedS3({ dataDir, bucket });
    const { endpoint } = server;
    const setup = server.createStore();
    await setup.put(runKey(jobId, 'spec.json'), JSON.stringify(spec(12, 1)));
    setup.close();

    let stoppedAt = 0;
    const { run, outage } = trainWithOutage(
      jobId,
      { ...server.childEnv(), LDAM_STORE_DEADLINE_SECONDS: '3' },
      async (at) => {
        stoppedAt = at;
      },
    );
    const result = await within(run, 120_000, 'the run after the server went away');
    await outage;
    expect(stoppedAt).toBeGreaterThan(0);
    // Bounded: the deadline for the write that gave up, one more for the final flush, and slack.
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/StoreUnavailableError: storage unavailable for key 'runs\/job-gone\//);
    expect(result.stderr).toContain(`(s3://${bucket}/ at ${endpoint})`);
    expect(result.stderr).toMatch(/gave up after \d+ attempts in 3 s \(LDAM_STORE_DEADLINE_SECONDS\)/);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ kind: 'end', status: 'failed', exitCode: 1 });
  });
});
