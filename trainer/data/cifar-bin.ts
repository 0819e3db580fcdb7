import { join } from 'node:path';
import { cifar10ClassNames, cifar100ClassNames } from './class-names.ts';
import { DataError } from './errors.ts';
import type { DataFiles } from './files.ts';
import { toClassLabels } from './labels.ts';
import type { RawDataset, RawSplit } from './types.ts';

// CIFAR binary version (Krizhevsky 2009, cs.toronto.edu/~kriz/cifar.html): records of label byte(s)
// then 3072 pixel bytes, channel-major: 1024 red, 1024 green, 1024 blue, each 32×32 row-major.
const side = 32;
const plane = side * side;
const pixelBytes = 3 * plane;

export type CifarVariant = 'cifar10' | 'cifar100';

const layouts = {
  cifar10: {
    labelBytes: 1,
    numClasses: 10,
    subfolder: 'cifar-10-batches-bin',
    train: [
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_4.bin',
      'data_batch_5.bin',
    ],
    test: ['test_batch.bin'],
    namesFile: 'batches.meta.txt',
  },
  cifar100: {
    labelBytes: 2,
    numClasses: 100,
    subfolder: 'cifar-100-binary',
    train: ['train.bin'],
    test: ['test.bin'],
    namesFile: 'fine_label_names.txt',
  },
} as const;

export interface CifarRecords {
  /** count × 32 × 32 × 3 bytes (NHWC). */
  readonly images: Uint8Array;
  /** The label byte (CIFAR-10) or the fine label byte (CIFAR-100) of each record. */
  readonly labels: Uint8Array;
  readonly count: number;
}

/** Parses one CIFAR binary file and transposes its channel-major records to NHWC. */
export function parseCifarRecords(bytes: Uint8Array, fileName: string, variant: CifarVariant): CifarRecords {
  const { labelBytes } = layouts[variant];
  const recordSize = labelBytes + pixelBytes;
  if (bytes.length === 0) throw new DataError(fileName, 'empty file');
  if (bytes.length % recordSize !== 0)
    throw new DataError(
      fileName,
      `truncated: ${bytes.length} bytes is not a whole number of ${recordSize}-byte records ` +
        `(${Math.floor(bytes.length / recordSize)} records and ${bytes.length % recordSize} bytes left over)`,
    );
  const count = bytes.length / recordSize;
  const images = new Uint8Array(count * pixelBytes);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const record = r * recordSize;
    // CIFAR-100 records are <coarse label><fine label><pixels>; the fine label is the class.
    labels[r] = bytes[record + labelBytes - 1] ?? 0;
    const pixels = record + labelBytes;
    const out = r * pixelBytes;
    for (let p = 0; p < plane; p++) {
      images[out + 3 * p] = bytes[pixels + p] ?? 0;
      images[out + 3 * p + 1] = bytes[pixels + plane + p] ?? 0;
      images[out + 3 * p + 2] = bytes[pixels + 2 * plane + p] ?? 0;
    }
  }
  return { images, labels, count };
}

/** The directory holding the batch files: the source itself or its usual subfolder. */
export async function findCifarDir(files: DataFiles, dir: string, variant: CifarVariant): Promise<string> {
  const layout = layouts[variant];
  const first = layout.test[0];
  for (const candidate of [dir, join(dir, layout.subfolder)])
    if (await files.isFile(join(candidate, first))) return candidate;
  throw new DataError(dir, `missing ${first} (looked in the directory and in ${layout.subfolder}/)`);
}

/** Which CIFAR layout a directory holds, for `custom` datasets in cifar-bin format. */
export async function detectCifarVariant(files: DataFiles, dir: string): Promise<CifarVariant> {
  for (const variant of ['cifar10', 'cifar100'] as const) {
    const found = await findCifarDir(files, dir, variant).then(
      () => true,
      () => false,
    );
    if (found) return variant;
  }
  throw new DataError(
    dir,
    'no CIFAR binary files (test_batch.bin or test.bin) in the directory or its usual subfolder',
  );
}

async function readSplit(
  files: DataFiles,
  dir: string,
  names: readonly string[],
  variant: CifarVariant,
  numClasses: number,
): Promise<RawSplit> {
  const parts: CifarRecords[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (!(await files.isFile(path))) throw new DataError(name, `missing from ${dir}`);
    const records = parseCifarRecords(await files.read(path), name, variant);
    toClassLabels(records.labels, numClasses, name);
    parts.push(records);
  }
  const count = parts.reduce((n, p) => n + p.count, 0);
  const values = new Uint8Array(count * pixelBytes);
  const labels = new Int32Array(count);
  let at = 0;
  for (const part of parts) {
    values.set(part.images, at * pixelBytes);
    labels.set(part.labels, at);
    at += part.count;
  }
  return { values, labels, count };
}

async function readClassNames(files: DataFiles, dir: string, variant: CifarVariant, numClasses: number) {
  const path = join(dir, layouts[variant].namesFile);
  const fallback = variant === 'cifar10' ? cifar10ClassNames : cifar100ClassNames;
  if (!(await files.isFile(path))) return fallback.slice(0, numClasses);
  const names = new TextDecoder()
    .decode(await files.read(path))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return names.length === numClasses ? names : fallback.slice(0, numClasses);
}

/** A CIFAR-10 or CIFAR-100 binary dataset as 32×32×3 NHWC images. */
export async function readCifarDataset(
  files: DataFiles,
  sourceDir: string,
  variant: CifarVariant,
  numClasses: number = layouts[variant].numClasses,
): Promise<RawDataset> {
  const layout = layouts[variant];
  const dir = await findCifarDir(files, sourceDir, variant);
  return {
    train: await readSplit(files, dir, layout.train, variant, numClasses),
    test: await readSplit(files, dir, layout.test, variant, numClasses),
    exampleShape: [side, side, 3],
    classNames: await readClassNames(files, dir, variant, numClasses),
  };
}
