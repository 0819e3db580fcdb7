import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDataFiles } from '../../../../trainer/data/files.ts';
import { localBlobs } from '../../../../trainer/data/images/blobs.ts';
import { loadImageDataset } from '../../../../trainer/data/images/load-images.ts';
import { emptyPrefetchStats, prefetchInOrder } from '../../../../trainer/data/images/prefetch.ts';
import type { BatchMode } from '../../../../trainer/data/images/split-source.ts';
import type { DataSplit } from '../../../../trainer/data/types.ts';
import { createRng, deriveSeed } from '../../../../trainer/random/rng.ts';
import { shuffledIndices } from '../../../../trainer/rebalance/index.ts';
import { parseExperimentSpec } from '../../../../trainer/spec/index.ts';
import { makeTempDir } from '../fixtures.ts';
import { writeTinyImagenet } from './fixtures.ts';

let root: { dir: string; cleanup: () => Promise<void> };
const side = 16;
const imageBytes = side * side * 3;

beforeAll(async () => {
  root = await makeTempDir('ldam-stream-');
  await writeTinyImagenet(root.dir, { wnids: ['n1', 'n2', 'n3'], trainPerClass: 20, valPerClass: 2, side });
});
afterAll(async () => root.cleanup());

async function open(loader: 'memory' | 'stream', limits = { concurrency: 4, maxBufferedBytes: 1 << 20 }) {
  const spec = parseExperimentSpec({
    version: 1,
    dataset: {
      name: 'tiny-imagenet',
      source: root.dir,
      numClasses: 3,
      imbalance: { type: 'none' },
      loader,
      image: { size: side },
    },
    augment: { crop: true, padding: 2, flip: true },
  });
  return loadImageDataset(spec.dataset, localBlobs(localDataFiles(), root.dir), {
    augment: spec.augment,
    limits,
  });
}

async function collect(split: DataSplit, order: Int32Array, first: number, mode: BatchMode) {
  const batches: { images: number[]; labels: number[] }[] = [];
  for await (const b of split.source?.batches(order, 8, first, mode) ?? [])
    batches.push({ images: Array.from(b.images), labels: Array.from(b.labels) });
  return batches;
}

const order = shuffledIndices(60, createRng(deriveSeed(7, 'shuffle')));
const train: BatchMode = { kind: 'train', seed: 1234, epoch: 3 };

describe('image streaming pipeline', () => {
  it('gives the same augmented batches under a seed whether images are held in memory or streamed', async () => {
    const memory = await open('memory');
    const stream = await open('stream');
    const fromMemory = await collect(memory.train, order, 0, train);
    const fromStream = await collect(stream.train, order, 0, train);
    expect(fromMemory).toHaveLength(8);
    expect(fromStream).toEqual(fromMemory);
    // Another epoch crops differently; the labels follow the order.
    const otherEpoch = await collect(stream.train, order, 0, { ...train, epoch: 4 });
    expect(otherEpoch.map((b) => b.images)).not.toEqual(fromMemory.map((b) => b.images));
    expect(fromStream.flatMap((b) => b.labels)).toEqual(Array.from(order, (i) => stream.train.labels[i]));
  });

  it('resumes mid-epoch with exactly the batches the uninterrupted epoch had from there on', async () => {
    const stream = await open('stream');
    const whole = await collect(stream.train, order, 0, train);
    const resumed = await collect(stream.train, order, 5, train);
    expect(resumed).toEqual(whole.slice(5));
  });

  it('streams a dataset 30× its buffer bound through with at most `concurrency` decodes in flight', async () => {
    const limits = { concurrency: 2, maxBufferedBytes: 2 * imageBytes };
    const stream = await open('stream', limits);
    const batches = await collect(stream.train, order, 0, train);
    const stats = stream.train.source?.stats;
    expect(batches.flatMap((b) => b.labels)).toHaveLength(60);
    expect(stats?.loaded).toBe(60);
    expect(stats?.peakInFlight).toBeLessThanOrEqual(2);
    expect(stats?.largestItemBytes).toBe(imageBytes);
    expect(stats?.peakBufferedBytes).toBeLessThanOrEqual(
      limits.maxBufferedBytes + limits.concurrency * imageBytes,
    );
    expect(60 * imageBytes).toBe(30 * limits.maxBufferedBytes);
  });
});

describe('prefetchInOrder', () => {
  it('keeps order, never exceeds its concurrency, and stops loading ahead while the consumer lags', async () => {
    let running = 0;
    let maxRunning = 0;
    const started: number[] = [];
    const load = async (i: number) => {
      started.push(i);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      // Later items finish first, so ordering is the pipeline's doing.
      await new Promise((r) => setTimeout(r, (10 - (i % 10)) * 2));
      running -= 1;
      return { value: i, bytes: 100 };
    };
    const stats = emptyPrefetchStats();
    const seen: number[] = [];
    for await (const value of prefetchInOrder(30, load, { concurrency: 3, maxBufferedBytes: 250 }, stats)) {
      seen.push(value);
      if (value === 5) {
        // A slow consumer: loading ahead stops at the byte bound, not at the end of the data.
        await new Promise((r) => setTimeout(r, 60));
        expect(started.length).toBeLessThanOrEqual(6 + 3 + 3);
      }
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(maxRunning).toBeLessThanOrEqual(3);
    expect(stats.peakBufferedBytes).toBeLessThanOrEqual(250 + 3 * 100);
  });

  it('rejects at the failed item after delivering the ones before it, leaving no load running', async () => {
    let running = 0;
    const load = async (i: number) => {
      running += 1;
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      if (i === 4) throw new Error('bad 4');
      return { value: i, bytes: 1 };
    };
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const v of prefetchInOrder(10, load, { concurrency: 3, maxBufferedBytes: 100 }))
          seen.push(v);
      })(),
    ).rejects.toThrow('bad 4');
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(running).toBe(0);
  });
});
