import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDataFiles } from '../../../trainer/data/files.ts';
import { decodeImage, readImageFolderDataset } from '../../../trainer/data/image-folder.ts';
import { jpegBytes, makeTempDir, pngBytes, writeFileIn } from './fixtures.ts';

describe('decodeImage', () => {
  it('keeps one channel for a grayscale PNG', () => {
    const image = decodeImage(
      pngBytes(3, 2, true, (x, y) => 10 * x + y),
      'a.png',
    );
    expect({ w: image.width, h: image.height, c: image.channels }).toEqual({ w: 3, h: 2, c: 1 });
    expect(Array.from(image.pixels)).toEqual([0, 10, 20, 1, 11, 21]);
  });

  it('keeps RGB (dropping nothing but alpha) for a colour PNG', () => {
    const image = decodeImage(
      pngBytes(2, 1, false, (x) => 100 * x),
      'b.png',
    );
    expect(Array.from(image.pixels)).toEqual([0, 50, 100, 100, 150, 200]);
  });

  it('decodes a JPEG to RGB', () => {
    const image = decodeImage(jpegBytes(8, 8, [200, 30, 90]), 'c.jpg');
    expect(image.channels).toBe(3);
    expect(Math.abs((image.pixels[0] ?? 0) - 200)).toBeLessThan(8);
    expect(Math.abs((image.pixels[1] ?? 0) - 30)).toBeLessThan(8);
  });

  it('names an undecodable file', () => {
    expect(() => decodeImage(Uint8Array.from([1, 2, 3]), 'train/cat/broken.png')).toThrow(
      /^train\/cat\/broken.png: cannot be decoded/,
    );
  });
});

describe('readImageFolderDataset', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  const gray = (v: number) => pngBytes(4, 4, true, () => v);

  it('indexes classes by sorted folder name and reads both splits', async () => {
    await writeFileIn(dir, 'train/zebra/1.png', gray(1));
    await writeFileIn(dir, 'train/ant/1.png', gray(2));
    await writeFileIn(dir, 'train/ant/2.PNG', gray(3));
    await writeFileIn(dir, 'train/ant/notes.txt', 'ignored');
    await writeFileIn(dir, 'test/zebra/1.png', gray(4));
    await writeFileIn(dir, 'test/ant/1.png', gray(5));
    const data = await readImageFolderDataset(localDataFiles(), dir);
    expect(data.classNames).toEqual(['ant', 'zebra']);
    expect(data.exampleShape).toEqual([4, 4, 1]);
    expect(Array.from(data.train.labels)).toEqual([0, 0, 1]);
    expect(Array.from(data.train.values.subarray(0, 16 * 3).filter((_, i) => i % 16 === 0))).toEqual([
      2, 3, 1,
    ]);
    expect(Array.from(data.test.labels)).toEqual([0, 1]);
  });

  it('promotes grayscale images to RGB when any image has colour', async () => {
    await writeFileIn(dir, 'train/a/1.png', gray(7));
    await writeFileIn(dir, 'train/b/1.jpg', jpegBytes(4, 4, [255, 0, 0]));
    await writeFileIn(dir, 'test/a/1.png', gray(9));
    const data = await readImageFolderDataset(localDataFiles(), dir);
    expect(data.exampleShape).toEqual([4, 4, 3]);
    expect(Array.from(data.train.values.subarray(0, 3))).toEqual([7, 7, 7]);
  });

  it('names the image whose size differs', async () => {
    await writeFileIn(dir, 'train/a/1.png', gray(1));
    await writeFileIn(
      dir,
      'test/a/odd.png',
      pngBytes(5, 4, true, () => 0),
    );
    await expect(readImageFolderDataset(localDataFiles(), dir)).rejects.toThrow(
      'test/a/odd.png: is 5×4 but train/a/1.png is 4×4; all images must share one size',
    );
  });

  it('rejects a test class the training set does not have', async () => {
    await writeFileIn(dir, 'train/a/1.png', gray(1));
    await writeFileIn(dir, 'test/b/1.png', gray(1));
    await expect(readImageFolderDataset(localDataFiles(), dir)).rejects.toThrow(
      'test/b: is not a class of the training set',
    );
  });

  it('names a corrupt image', async () => {
    await writeFileIn(dir, 'train/a/1.png', gray(1));
    await writeFileIn(dir, 'train/a/2.png', gray(1).subarray(0, 30));
    await writeFileIn(dir, 'test/a/1.png', gray(1));
    await expect(readImageFolderDataset(localDataFiles(), dir)).rejects.toThrow(
      /^train\/a\/2.png: cannot be decoded/,
    );
  });
});
