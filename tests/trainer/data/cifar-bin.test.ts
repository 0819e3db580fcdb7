import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCifarVariant, parseCifarRecords, readCifarDataset } from '../../../trainer/data/cifar-bin.ts';
import { cifar10ClassNames } from '../../../trainer/data/class-names.ts';
import { DataError } from '../../../trainer/data/errors.ts';
import { localDataFiles } from '../../../trainer/data/files.ts';
import { cifarRecords, expectedCifarPixel, makeTempDir, writeCifar10, writeFileIn } from './fixtures.ts';

function pixel(images: Uint8Array, n: number, y: number, x: number, c: number): number | undefined {
  return images[n * 3072 + (y * 32 + x) * 3 + c];
}

describe('parseCifarRecords', () => {
  it('transposes channel-major records to NHWC', () => {
    const parsed = parseCifarRecords(cifarRecords([7, 2, 9]), 'data_batch_1.bin', 'cifar10');
    expect(parsed.count).toBe(3);
    expect(Array.from(parsed.labels)).toEqual([7, 2, 9]);
    for (const [n, y, x, c] of [
      [0, 0, 0, 0],
      [1, 5, 17, 1],
      [2, 31, 31, 2],
      [2, 0, 31, 1],
    ] as const)
      expect(pixel(parsed.images, n, y, x, c)).toBe(expectedCifarPixel(n, y, x, c));
  });

  it('takes the fine label of CIFAR-100 records', () => {
    const parsed = parseCifarRecords(cifarRecords([42, 99], [3, 19]), 'train.bin', 'cifar100');
    expect(Array.from(parsed.labels)).toEqual([42, 99]);
    expect(pixel(parsed.images, 1, 3, 4, 2)).toBe(expectedCifarPixel(1, 3, 4, 2));
  });

  it('names the file when a record is cut short', () => {
    const bytes = cifarRecords([1, 2]).subarray(0, 3073 + 100);
    expect(() => parseCifarRecords(bytes, 'data_batch_3.bin', 'cifar10')).toThrow(
      'data_batch_3.bin: truncated: 3173 bytes is not a whole number of 3073-byte records (1 records and 100 bytes left over)',
    );
    expect(() => parseCifarRecords(new Uint8Array(0), 'test.bin', 'cifar100')).toThrow(DataError);
  });
});

describe('readCifarDataset', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('reads the five batches and the test batch from the usual subfolder', async () => {
    await writeCifar10(join(dir, 'cifar-10-batches-bin'), 1, 2);
    const data = await readCifarDataset(localDataFiles(), dir, 'cifar10');
    expect(data.train.count).toBe(50);
    expect(data.test.count).toBe(20);
    expect(data.exampleShape).toEqual([32, 32, 3]);
    expect(data.classNames).toEqual(cifar10ClassNames);
    // Batch 2's first record follows batch 1's ten records.
    expect(data.train.labels[10]).toBe(0);
    expect(pixel(data.train.values as Uint8Array, 10, 1, 2, 0)).toBe(expectedCifarPixel(0, 1, 2, 0));
  });

  it('reads class names from batches.meta.txt when present', async () => {
    await writeCifar10(dir, 1, 1);
    const names = Array.from({ length: 10 }, (_, i) => `name${i}`);
    await writeFileIn(dir, 'batches.meta.txt', `${names.join('\n')}\n\n`);
    expect((await readCifarDataset(localDataFiles(), dir, 'cifar10')).classNames).toEqual(names);
  });

  it('names a missing batch file', async () => {
    await writeFileIn(dir, 'test_batch.bin', cifarRecords([0]));
    await writeFileIn(dir, 'data_batch_1.bin', cifarRecords([0]));
    await expect(readCifarDataset(localDataFiles(), dir, 'cifar10')).rejects.toThrow(
      /^data_batch_2.bin: missing/,
    );
  });

  it('rejects a label outside the classes, naming the file', async () => {
    await writeCifar10(dir, 1, 1);
    await writeFileIn(dir, 'data_batch_4.bin', cifarRecords([3, 10]));
    await expect(readCifarDataset(localDataFiles(), dir, 'cifar10')).rejects.toThrow(
      'data_batch_4.bin: label 10 at record 1 is not below numClasses 10',
    );
  });

  it('reads CIFAR-100 train.bin/test.bin and detects the layout', async () => {
    const sub = join(dir, 'cifar-100-binary');
    await mkdir(sub);
    await writeFileIn(sub, 'train.bin', cifarRecords([5, 99, 0], [1, 2, 3]));
    await writeFileIn(sub, 'test.bin', cifarRecords([7], [0]));
    expect(await detectCifarVariant(localDataFiles(), dir)).toBe('cifar100');
    const data = await readCifarDataset(localDataFiles(), dir, 'cifar100');
    expect(Array.from(data.train.labels)).toEqual([5, 99, 0]);
    expect(data.classNames[99]).toBe('worm');
  });

  it('says where it looked when nothing is there', async () => {
    await expect(detectCifarVariant(localDataFiles(), dir)).rejects.toThrow(DataError);
  });
});
