// The job state snapshot over a real local-directory store: folded chunk by chunk it equals the
// whole log reduced (through a preemption and a resume that supersedes metrics), readers catch up
// after a writer that died before its swap, concurrent writers never regress it, and a read costs
// the same few store calls however long the log.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEvents, readEvents } from '../../../trainer/events/log.ts';
import { type JobState, reduceJobState } from '../../../trainer/events/reduce.ts';
import {
  readJobSnapshot,
  readSnapshot,
  refreshSnapshot,
  snapshotKey,
} from '../../../trainer/events/snapshot.ts';
import type { JobEvent } from '../../../trainer/events/types.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { countingStore } from '../../functions/counting-store.ts';
import { log, status } from './event-log-fixture.ts';

const jobId = 'j-0000000001-snapshot';
let dir: string;
let store: LocalDirStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-snapshot-'));
  store = new LocalDirStore(join(dir, 'store'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const metric = (attempt: number, epoch: number, key: string, value: number) =>
  ({ kind: 'metric', attempt, epoch, step: epoch * 10, key, value, writer: 'trainer' }) as const;

/** Preempted after epoch 3 with a checkpoint of epoch 2; attempt 2 resumes, re-runs epoch 3, succeeds. */
const history: JobEvent[] = log(
  status('queued'),
  status('starting'),
  status('running', 1, { writer: 'trainer' }),
  metric(1, 1, 'train_loss', 3),
  metric(1, 1, 'lr', 0.1),
  metric(1, 2, 'train_loss', 2),
  metric(1, 3, 'train_loss', 1.5),
  metric(1, 3, 'val_top1_error', 0.4),
  status('queued', 2, { reason: 'interrupted after a checkpoint (exit 75)', exitCode: 75 }),
  status('starting', 2),
  status('running', 2, { writer: 'trainer' }),
  {
    kind: 'note',
    attempt: 2,
    message: 'resumed from epoch 2',
    data: { completedEpochs: 2 },
    writer: 'trainer',
  },
  metric(2, 3, 'train_loss', 1.4),
  metric(2, 4, 'train_loss', 1.1),
  status('succeeded', 2, { writer: 'trainer', exitCode: 0 }),
);

const comparable = (state: JobState) => ({ ...state, epochTimes: [...state.epochTimes.entries()] });
async function wholeLogState(): Promise<JobState> {
  return reduceJobState((await readEvents(store, jobId, {})).events);
}

/** Writes `events` as one chunk of their writer, as stored (seq and time kept). */
async function writeChunk(events: JobEvent[]): Promise<void> {
  const writer = events[0]?.writer ?? 'api';
  const seq = events[0]?.seq ?? 1;
  await appendEvents(store, jobId, writer, events, { snapshot: false, lastSeq: seq - 1 });
}

describe('job state snapshot', () => {
  it('folded chunk by chunk equals the whole log reduced, through a preemption and a resume', async () => {
    // Each event its own chunk, in log order: the snapshot is refreshed after every one.
    for (const event of history) {
      await writeChunk([event]);
      const refreshed = await refreshSnapshot(store, jobId);
      expect(comparable(refreshed.state)).toEqual(comparable(await wholeLogState()));
    }
    const { state, position } = await readSnapshot(store, jobId);
    expect(position).toEqual({ api: 4, trainer: 11 });
    expect(state).toMatchObject({ status: 'succeeded', attempt: 2, lastEpoch: 4 });
    // The resume superseded epoch 3's first values; val_top1_error of that epoch stands no more.
    expect(state.latestMetrics).toEqual({ train_loss: 1.1, lr: 0.1 });
  });

  it('is caught up by readers after a writer died between its chunk and the swap', async () => {
    await writeChunk(history.slice(0, 2));
    await refreshSnapshot(store, jobId);
    await writeChunk(history.slice(2, 4)); // the trainer's chunk lands; its refresh never runs
    expect((await readSnapshot(store, jobId)).state.status).toBe('starting');
    const read = await readJobSnapshot(store, jobId);
    expect(read.state.status).toBe('running');
    expect(read.position).toEqual({ api: 2, trainer: 2 });
    // Reading does not write: the next writer's refresh stores the caught-up state.
    expect((await readSnapshot(store, jobId)).state.status).toBe('starting');
    expect((await refreshSnapshot(store, jobId)).state.status).toBe('running');
    expect((await readSnapshot(store, jobId)).state.status).toBe('running');
  });

  it('never goes back when writers refresh at once', async () => {
    const appends = Array.from({ length: 12 }, (_, i) =>
      appendEvents(
        store,
        jobId,
        i % 2 === 0 ? 'api' : 'trainer',
        [{ kind: 'note', message: `note ${i}`, attempt: 1 }],
        { attempt: 1 },
      ),
    );
    await Promise.all(appends);
    const { position } = await readSnapshot(store, jobId);
    expect(position).toEqual({ api: 6, trainer: 6 });
  });

  it('costs the same store calls to read with 3 chunks and with 200', async () => {
    const counted = countingStore(store);
    const callsToRead = async () => {
      counted.reset();
      await readJobSnapshot(counted.store, jobId);
      return counted.total();
    };
    await writeChunk(history.slice(0, 3));
    await refreshSnapshot(store, jobId);
    const few = await callsToRead();
    // 200 more trainer chunks, each refreshing the snapshot as the trainer's writer does.
    for (let epoch = 1; epoch <= 200; epoch += 1) {
      const event = { kind: 'metric', epoch, step: epoch, key: 'lr', value: 0.1 } as const;
      await appendEvents(store, jobId, 'trainer', [event], { lastSeq: epoch });
    }
    const many = await callsToRead();
    // The snapshot, and one probe per writer for the chunk after its position.
    expect(few).toBe(3);
    expect(many).toBe(few);
    expect(await store.head(snapshotKey(jobId))).toBeDefined();
  });
});
