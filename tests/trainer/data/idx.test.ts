import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError } from '../../../trainer/data/errors.ts';
import { localDataFiles } from '../../../trainer/data/files.ts';
import { parseIdxImages, parseIdxLabels, readIdxDataset, readIdxSplit } from '../../../trainer/data/idx.ts';
import {
  balancedLabels,
  idxImagesBytes,
  idxLabelsBytes,
  makeTempDir,
  patternedImages,
  writeFileIn,
  writeIdxDataset,
} from './fixtures.ts';

const fileName = 'train-images-idx3-ubyte.gz';

function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('parseIdxImages', () => {
  const labels = balancedLabels(3, 2);
  const images = patternedImages(labels, 5 * 4);
  const raw = idxImagesBytes(images, labels.length, 5, 4);

  it('reads the header and pixels of a raw file', () => {
    const parsed = parseIdxImages(raw, 'x');
    expect({ count: parsed.count, height: parsed.height, width: parsed.width }).toEqual({
      count: 6,
      height: 5,
      width: 4,
    });
    expect(Array.from(parsed.images)).toEqual(Array.from(images));
  });

  it('reads the same file gzipped', () => {
    expect(Array.from(parseIdxImages(gzipSync(raw), fileName).images)).toEqual(Array.from(images));
  });

  it('names the file and both sizes when the body is truncated', () => {
    const error = dataError(() => parseIdxImages(gzipSync(raw.subarray(0, raw.length - 7)), fileName));
    expect(error.message).toBe(
      `${fileName}: truncated: header says 6 images of 5×4 but ${6 * 20 - 7} bytes follow`,
    );
  });

  it('rejects trailing bytes', () => {
    const longer = Buffer.concat([raw, new Uint8Array(3)]);
    expect(dataError(() => parseIdxImages(longer, fileName)).message).toMatch(
      /^train-images-idx3-ubyte.gz: corrupt/,
    );
  });

  it('rejects a label file read as images (wrong magic)', () => {
    const error = dataError(() => parseIdxImages(idxLabelsBytes(labels), fileName));
    expect(error.message).toContain('wrong magic number 0x00000801 (expected 0x00000803)');
  });

  it('rejects a file shorter than its header', () => {
    expect(dataError(() => parseIdxImages(raw.subarray(0, 10), fileName)).message).toContain('IDX header');
  });

  it('rejects a corrupt gzip stream', () => {
    const gz = gzipSync(raw);
    const broken = Buffer.concat([gz.subarray(0, 10), Buffer.alloc(40, 0xff)]);
    expect(dataError(() => parseIdxImages(broken, fileName)).message).toMatch(
      /^train-images-idx3-ubyte.gz: corrupt gzip/,
    );
  });
});

describe('parseIdxLabels', () => {
  it('reads labels and rejects images read as labels', () => {
    const labels = Uint8Array.from([3, 1, 4, 1, 5]);
    expect(Array.from(parseIdxLabels(gzipSync(idxLabelsBytes(labels)), 'l'))).toEqual([3, 1, 4, 1, 5]);
    expect(() => parseIdxLabels(idxImagesBytes(new Uint8Array(4), 1, 2, 2), 'l')).toThrow(DataError);
  });
});

describe('reading an IDX directory', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('reads train and t10k with labels as class indices', async () => {
    await writeIdxDataset(dir, { numClasses: 3, trainPerClass: 4, testPerClass: 2 });
    const data = await readIdxDataset(localDataFiles(), dir, 3, ['a', 'b', 'c']);
    expect(data.train.count).toBe(12);
    expect(data.test.count).toBe(6);
    expect(data.exampleShape).toEqual([4, 4, 1]);
    expect(Array.from(data.train.labels.subarray(0, 4))).toEqual([0, 1, 2, 0]);
  });

  it('accepts the uncompressed, dotted spelling of the file names', async () => {
    const labels = balancedLabels(2, 2);
    await writeFileIn(dir, 'train-images.idx3-ubyte', idxImagesBytes(patternedImages(labels, 4), 4, 2, 2));
    await writeFileIn(dir, 'train-labels.idx1-ubyte', idxLabelsBytes(labels));
    expect((await readIdxSplit(localDataFiles(), dir, 'train')).images.count).toBe(4);
  });

  it('rejects a label count that differs from the image count', async () => {
    const labels = balancedLabels(2, 2);
    await writeFileIn(dir, 'train-images-idx3-ubyte', idxImagesBytes(patternedImages(labels, 4), 4, 2, 2));
    await writeFileIn(dir, 'train-labels-idx1-ubyte', idxLabelsBytes(labels.subarray(0, 3)));
    await expect(readIdxSplit(localDataFiles(), dir, 'train')).rejects.toThrow(
      'train-labels-idx1-ubyte: 3 labels but train-images-idx3-ubyte has 4 images',
    );
  });

  it('rejects labels that are not below numClasses, naming the file', async () => {
    await writeIdxDataset(dir, { numClasses: 3, trainPerClass: 2, testPerClass: 1 });
    await expect(readIdxDataset(localDataFiles(), dir, 2, ['a', 'b'])).rejects.toThrow(
      /^train-labels-idx1-ubyte.gz: label 2 at record 2 is not below numClasses 2$/,
    );
  });

  it('names the missing file', async () => {
    await expect(readIdxSplit(localDataFiles(), dir, 't10k')).rejects.toThrow(
      /missing t10k-images-idx3-ubyte.gz/,
    );
  });
});
