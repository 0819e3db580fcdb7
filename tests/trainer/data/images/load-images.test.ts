import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, loadDataset } from '../../../../trainer/data/index.ts';
import type { DataSplit, LoadedDataset } from '../../../../trainer/data/types.ts';
import { parseExperimentSpec } from '../../../../trainer/spec/index.ts';
import { makeTempDir } from '../fixtures.ts';
import { writeInaturalist, writeManifest, writeTinyImagenet } from './fixtures.ts';

let root: { dir: string; cleanup: () => Promise<void> };
const env = () => ({ LDAM_DATA_ROOTS: root.dir, LDAM_DATA_DIR: join(root.dir, '.data') });

async function load(dataset: Record<string, unknown>): Promise<LoadedDataset> {
  const spec = parseExperimentSpec({ version: 1, dataset, model: { arch: 'resnet18' } });
  return loadDataset(spec.dataset, { env: env(), augment: spec.augment });
}

/** All examples of a split in index order, centre-cropped, as [values, labels]. */
async function evalValues(split: DataSplit): Promise<{ images: Float32Array[]; labels: number[] }> {
  const images: Float32Array[] = [];
  const labels: number[] = [];
  const order = Int32Array.from({ length: split.count }, (_, i) => i);
  for await (const batch of split.source?.batches(order, 4, 0, { kind: 'eval' }) ?? []) {
    const each = batch.images.length / batch.size;
    for (let i = 0; i < batch.size; i++) images.push(batch.images.slice(i * each, (i + 1) * each));
    labels.push(...batch.labels);
  }
  return { images, labels };
}

const wnids = ['n03', 'n01', 'n02'];

beforeAll(async () => {
  root = await makeTempDir('ldam-images-');
  await writeTinyImagenet(join(root.dir, 'tiny'), { wnids, trainPerClass: 10, valPerClass: 3 });
  await writeInaturalist(join(root.dir, 'inat'), {
    categories: [
      { id: 230, train: 2, val: 1 },
      { id: 5, train: 6, val: 2 },
      { id: 17, train: 3, val: 1 },
    ],
  });
  await writeManifest(join(root.dir, 'manifest'), [4, 3], 2);
});

afterAll(async () => root.cleanup());

describe('tiny-imagenet', () => {
  const tiny = (extra: Record<string, unknown> = {}) => ({
    name: 'tiny-imagenet',
    source: join(root.dir, 'tiny'),
    numClasses: 3,
    image: { size: 16 },
    ...extra,
  });

  it('reads wnids sorted as classes, the val split as the balanced test set, and sub-samples exp ρ = 10', async () => {
    const data = await load(tiny({ imbalance: { type: 'exp', ratio: 10 } }));
    expect(data.classNames).toEqual(['n01', 'n02', 'n03']);
    // n_i = ⌊10 · 10^(−i/2)⌋: 10, 3, 1 (Cao et al. 2019, exp profile).
    expect(data.classCounts).toEqual([10, 3, 1]);
    expect(data.train.count).toBe(14);
    expect(Array.from(data.test.labels).sort()).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(data.inputShape).toEqual([16, 16, 3]);
    expect(data.loader?.mode).toBe('memory');
  });

  it('uses step imbalance as for CIFAR and rejects a class count the data does not have', async () => {
    expect((await load(tiny({ imbalance: { type: 'step', ratio: 5 } }))).classCounts).toEqual([10, 2, 2]);
    await expect(load(tiny({ numClasses: 4 }))).rejects.toThrow(
      /wnids.txt: has 3 classes but dataset.numClasses is 4/,
    );
  });

  it('decodes a grayscale JPEG to three equal channels and labels every test image by its annotation', async () => {
    const data = await load(tiny({ imbalance: { type: 'none' } }));
    const train = await evalValues(data.train);
    // Image 0 of class 0 is grayscale: R = G = B at every pixel (normalised per channel, so undo that).
    const std = [0.229, 0.224, 0.225];
    const mean = [0.485, 0.456, 0.406];
    const pixel = (v: Float32Array, c: number) => (v[c] ?? 0) * (std[c] ?? 1) + (mean[c] ?? 0);
    const gray = train.images[0] as Float32Array;
    expect(pixel(gray, 0)).toBeCloseTo(pixel(gray, 1), 2);
    expect(pixel(gray, 1)).toBeCloseTo(pixel(gray, 2), 2);
    const test = await evalValues(data.test);
    // Class colours: n01 red-ish, n02 green-ish, n03 blue-ish; the dominant channel is the label.
    test.images.forEach((v, i) => {
      const rgb = [0, 1, 2].map((c) => pixel(v, c));
      expect(rgb.indexOf(Math.max(...rgb))).toBe(test.labels[i]);
    });
  });

  it('names the annotation line of an image that is not in val/images, and a corrupt JPEG when it is read', async () => {
    const dir = join(root.dir, 'tiny-bad');
    await writeTinyImagenet(dir, { wnids, trainPerClass: 2, valPerClass: 1 });
    const annotations = join(dir, 'val', 'val_annotations.txt');
    const good = await readFile(annotations, 'utf8');
    await writeFile(annotations, 'val_0.JPEG\tn01\t0 0 1 1\nval_9.JPEG\tn02\t0\t0\t1\t1\n');
    await expect(load({ ...tiny(), source: dir })).rejects.toThrow(
      "val/val_annotations.txt line 2: names image 'val_9.JPEG', which is not in val/images",
    );
    await writeFile(annotations, good);
    await writeFile(
      join(dir, 'train', 'n02', 'images', 'n02_1.JPEG'),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]),
    );
    const streamed = await load({ ...tiny(), source: dir, loader: 'stream', imbalance: { type: 'none' } });
    const error = await evalValues(streamed.train).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).subject).toBe('train/n02/images/n02_1.JPEG');
    await expect(load({ ...tiny(), source: dir, loader: 'memory' })).rejects.toThrow(
      /n02_1.JPEG: is not a readable JPEG/,
    );
    await rm(join(dir, 'train', 'n02', 'images', 'n02_1.JPEG'));
    const missing = await load({ ...tiny(), source: dir, loader: 'stream', imbalance: { type: 'none' } });
    await rm(join(dir, 'train', 'n01', 'images', 'n01_0.JPEG'));
    await expect(evalValues(missing.train)).rejects.toThrow(
      'train/n01/images/n01_0.JPEG: is missing or cannot be read',
    );
  });
});

describe('inaturalist2018', () => {
  const inat = (extra: Record<string, unknown> = {}) => ({
    name: 'inaturalist2018',
    source: join(root.dir, 'inat'),
    numClasses: 3,
    imbalance: { type: 'none' },
    image: { size: 24, resize: 28 },
    ...extra,
  });

  it('maps non-contiguous category ids to classes in id order, keeps the natural distribution, and keeps the map', async () => {
    const data = await load(inat());
    expect(data.sourceClassIds).toEqual([5, 17, 230]);
    expect(data.classNames).toEqual(['species 5', 'species 17', 'species 230']);
    expect(data.classCounts).toEqual([6, 3, 2]);
    expect(data.test.count).toBe(4);
    // Photos of varied size (one CMYK) are resized to a 28 px shorter side, centre-cropped to 24.
    const test = await evalValues(data.test);
    expect(test.images.every((v) => v.length === 24 * 24 * 3)).toBe(true);
  });

  it('requires imbalance none, and names the annotation whose image id is unknown', async () => {
    expect(() =>
      parseExperimentSpec({ version: 1, dataset: { name: 'inaturalist2018', source: '/x' } }),
    ).toThrow(/dataset.imbalance.type: must be 'none'/);
    const dir = join(root.dir, 'inat-bad');
    await writeInaturalist(dir, {
      categories: [
        { id: 3, train: 1, val: 1 },
        { id: 9, train: 1, val: 1 },
      ],
    });
    const val = JSON.parse(await readFile(join(dir, 'val2018.json'), 'utf8'));
    val.annotations.push({ id: 1, image_id: 424242, category_id: 3 });
    await writeFile(join(dir, 'val2018.json'), JSON.stringify(val));
    await expect(load(inat({ source: dir, numClasses: 2 }))).rejects.toThrow(
      'val2018.json annotations.2: names image id 424242, which is not in its images',
    );
  });
});

describe('JSONL image manifest', () => {
  const manifest = (extra: Record<string, unknown> = {}) => ({
    name: 'custom',
    format: 'image-manifest',
    numClasses: 2,
    source: join(root.dir, 'manifest'),
    imbalance: { type: 'none' },
    image: { size: 16, resize: 16 },
    ...extra,
  });

  it('reads {"path","label"} lines and streams them when asked', async () => {
    const data = await load(manifest({ loader: 'stream' }));
    expect(data.classCounts).toEqual([4, 3]);
    expect(data.loader).toEqual({ mode: 'stream', reason: "dataset.loader is 'stream'" });
    expect((await evalValues(data.test)).labels).toEqual([0, 0, 1, 1]);
  });

  it('names the line of a label outside [0, numClasses)', async () => {
    const dir = join(root.dir, 'manifest-bad');
    await writeManifest(dir, [1, 1], 1);
    await writeFile(
      join(dir, 'train.jsonl'),
      '{"path":"img/train/0-0.jpg","label":0}\n{"path":"img/train/1-0.jpg","label":7}\n',
    );
    await expect(load(manifest({ source: dir }))).rejects.toThrow(
      'train.jsonl line 2: "label" must be an integer in [0, 1] (dataset.numClasses)',
    );
    await writeFile(join(dir, 'train.jsonl'), '{"path":"../../etc/passwd","label":0}\n');
    await expect(load(manifest({ source: dir }))).rejects.toThrow(/must not contain '.', '..'/);
  });
});
