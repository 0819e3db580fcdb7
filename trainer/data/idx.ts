import { join } from 'node:path';
import { DataError } from './errors.ts';
import type { DataFiles } from './files.ts';
import { maybeGunzip } from './gzip.ts';
import { toClassLabels } from './labels.ts';
import type { RawDataset } from './types.ts';

// IDX format (LeCun et al., the MNIST file format): magic 00 00 08 <dims>, then one big-endian
// uint32 per dimension, then the unsigned bytes in row-major order.
const imagesMagic = 0x00000803;
const labelsMagic = 0x00000801;

export interface IdxImages {
  /** count × height × width bytes, row-major. */
  readonly images: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
}

function readHeader(bytes: Uint8Array, fileName: string, magic: number, dims: number): number[] {
  const headerSize = 4 + 4 * dims;
  const shorter = (): DataError =>
    new DataError(
      fileName,
      `truncated: ${bytes.length} bytes, shorter than the ${headerSize}-byte IDX header`,
    );
  if (bytes.length < 4) throw shorter();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0);
  if (found !== magic)
    throw new DataError(
      fileName,
      `wrong magic number 0x${found.toString(16).padStart(8, '0')} (expected 0x${magic.toString(16).padStart(8, '0')})`,
    );
  if (bytes.length < headerSize) throw shorter();
  return Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
}

function checkBodyLength(fileName: string, what: string, expected: number, actual: number): void {
  if (actual < expected)
    throw new DataError(fileName, `truncated: header says ${what} but ${actual} bytes follow`);
  if (actual > expected)
    throw new DataError(
      fileName,
      `corrupt: header says ${what} (${expected} bytes) but ${actual} bytes follow`,
    );
}

/** Parses an IDX image file (`.gz` or raw bytes). */
export function parseIdxImages(fileBytes: Uint8Array, fileName: string): IdxImages {
  const bytes = maybeGunzip(fileBytes, fileName);
  const [count = 0, height = 0, width = 0] = readHeader(bytes, fileName, imagesMagic, 3);
  const body = bytes.subarray(16);
  checkBodyLength(fileName, `${count} images of ${height}×${width}`, count * height * width, body.length);
  return { images: body, count, height, width };
}

/** Parses an IDX label file (`.gz` or raw bytes). */
export function parseIdxLabels(fileBytes: Uint8Array, fileName: string): Uint8Array {
  const bytes = maybeGunzip(fileBytes, fileName);
  const [count = 0] = readHeader(bytes, fileName, labelsMagic, 1);
  const body = bytes.subarray(8);
  checkBodyLength(fileName, `${count} labels`, count, body.length);
  return body;
}

export interface IdxSplit {
  readonly images: IdxImages;
  readonly labels: Uint8Array;
  readonly labelsFile: string;
}

// Both spellings in circulation (`train-images-idx3-ubyte` and `train-images.idx3-ubyte`), raw or gzipped.
function candidates(split: 'train' | 't10k', kind: 'images-idx3' | 'labels-idx1'): string[] {
  const [what, idx] = kind.split('-') as [string, string];
  const bases = [`${split}-${what}-${idx}-ubyte`, `${split}-${what}.${idx}-ubyte`];
  return bases.flatMap((base) => [`${base}.gz`, base]);
}

async function findFile(files: DataFiles, dir: string, names: string[]): Promise<string> {
  for (const name of names) if (await files.isFile(join(dir, name))) return name;
  throw new DataError(dir, `missing ${names[0]} (also looked for ${names.slice(1).join(', ')})`);
}

/** Reads one split (`train` or `t10k`) of an IDX dataset directory and checks the counts agree. */
export async function readIdxSplit(
  files: DataFiles,
  dir: string,
  split: 'train' | 't10k',
): Promise<IdxSplit> {
  const imagesFile = await findFile(files, dir, candidates(split, 'images-idx3'));
  const labelsFile = await findFile(files, dir, candidates(split, 'labels-idx1'));
  const images = parseIdxImages(await files.read(join(dir, imagesFile)), imagesFile);
  const labels = parseIdxLabels(await files.read(join(dir, labelsFile)), labelsFile);
  if (labels.length !== images.count)
    throw new DataError(labelsFile, `${labels.length} labels but ${imagesFile} has ${images.count} images`);
  return { images, labels, labelsFile };
}

/** An IDX dataset directory (MNIST, Fashion-MNIST or custom) as a raw dataset of 28×28×1-style images. */
export async function readIdxDataset(
  files: DataFiles,
  dir: string,
  numClasses: number,
  classNames: readonly string[],
): Promise<RawDataset> {
  const train = await readIdxSplit(files, dir, 'train');
  const test = await readIdxSplit(files, dir, 't10k');
  const { height, width } = train.images;
  if (test.images.height !== height || test.images.width !== width)
    throw new DataError(
      dir,
      `test images are ${test.images.height}×${test.images.width} but training images are ${height}×${width}`,
    );
  const split = (s: IdxSplit) => ({
    values: s.images.images,
    labels: toClassLabels(s.labels, numClasses, s.labelsFile),
    count: s.images.count,
  });
  return { train: split(train), test: split(test), exampleShape: [height, width, 1], classNames };
}
