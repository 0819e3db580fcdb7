import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

// Writers of the real on-disk formats, so loader tests read files exactly as the datasets ship them.

export async function makeTempDir(
  prefix = 'ldam-data-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function bigEndian(values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    view.setUint32(4 * i, v);
  });
  return out;
}

export function idxImagesBytes(images: Uint8Array, count: number, height: number, width: number): Uint8Array {
  return Buffer.concat([bigEndian([0x00000803, count, height, width]), images]);
}

export function idxLabelsBytes(labels: Uint8Array): Uint8Array {
  return Buffer.concat([bigEndian([0x00000801, labels.length]), labels]);
}

/** Image n has every pixel = (n·7 + class) mod 256, so tests can tell examples apart. */
export function patternedImages(labels: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(labels.length * pixels);
  labels.forEach((label, n) => {
    out.fill((n * 7 + label) % 256, n * pixels, (n + 1) * pixels);
  });
  return out;
}

/** Labels 0..K−1 repeated `perClass` times each, interleaved. */
export function balancedLabels(numClasses: number, perClass: number): Uint8Array {
  return Uint8Array.from({ length: numClasses * perClass }, (_, i) => i % numClasses);
}

export async function writeFileIn(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return path;
}

/** An IDX dataset directory (train + t10k, gzipped like the official files). */
export async function writeIdxDataset(
  dir: string,
  options: { numClasses: number; trainPerClass: number; testPerClass: number; side?: number },
): Promise<void> {
  const side = options.side ?? 4;
  for (const [split, perClass] of [
    ['train', options.trainPerClass],
    ['t10k', options.testPerClass],
  ] as const) {
    const labels = balancedLabels(options.numClasses, perClass);
    const images = patternedImages(labels, side * side);
    await writeFileIn(
      dir,
      `${split}-images-idx3-ubyte.gz`,
      gzipSync(idxImagesBytes(images, labels.length, side, side)),
    );
    await writeFileIn(dir, `${split}-labels-idx1-ubyte.gz`, gzipSync(idxLabelsBytes(labels)));
  }
}

/**
 * CIFAR binary records: label byte(s) then R, G, B planes of 32×32. Pixel (y, x) of channel c of
 * record n holds (n + 3·c + y + x) mod 256, a value the NHWC conversion can be checked against.
 */
export function cifarRecords(labels: readonly number[], coarse?: readonly number[]): Uint8Array {
  const labelBytes = coarse === undefined ? 1 : 2;
  const recordSize = labelBytes + 3072;
  const out = new Uint8Array(labels.length * recordSize);
  labels.forEach((label, n) => {
    const at = n * recordSize;
    if (coarse !== undefined) out[at] = coarse[n] ?? 0;
    out[at + labelBytes - 1] = label;
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) out[at + labelBytes + c * 1024 + y * 32 + x] = (n + 3 * c + y + x) % 256;
  });
  return out;
}

export function expectedCifarPixel(n: number, y: number, x: number, c: number): number {
  return (n + 3 * c + y + x) % 256;
}

/** The five CIFAR-10 training batches and the test batch, `perBatch` records of each class per file. */
export async function writeCifar10(
  dir: string,
  perClassPerBatch: number,
  testPerClass: number,
): Promise<void> {
  const labels = (perClass: number) => Array.from({ length: 10 * perClass }, (_, i) => i % 10);
  for (let b = 1; b <= 5; b++)
    await writeFileIn(dir, `data_batch_${b}.bin`, cifarRecords(labels(perClassPerBatch)));
  await writeFileIn(dir, 'test_batch.bin', cifarRecords(labels(testPerClass)));
}

export function pngBytes(
  width: number,
  height: number,
  gray: boolean,
  value: (x: number, y: number) => number,
): Uint8Array {
  const png = new PNG({ width, height, colorType: gray ? 0 : 2, inputColorType: 6 });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = 4 * (y * width + x);
      const v = value(x, y);
      png.data[at] = v;
      png.data[at + 1] = gray ? v : (v + 50) % 256;
      png.data[at + 2] = gray ? v : (v + 100) % 256;
      png.data[at + 3] = 255;
    }
  return PNG.sync.write(png, { colorType: gray ? 0 : 2, inputColorType: 6 });
}

export function jpegBytes(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...rgb, 255], 4 * p);
  return jpeg.encode({ width, height, data }, 95).data;
}
