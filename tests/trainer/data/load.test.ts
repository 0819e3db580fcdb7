import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../trainer/data/load.ts';
import { channelStats } from '../../../trainer/data/normalize.ts';
import { type ExperimentSpecInput, parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { makeTempDir, pngBytes, writeCifar10, writeFileIn, writeIdxDataset } from './fixtures.ts';

const datasetOf = (dataset: ExperimentSpecInput['dataset']) =>
  parseExperimentSpec({ version: 1, dataset, model: { arch: 'mlp' } }).dataset;

let base: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: base, cleanup } = await makeTempDir()));
afterEach(() => cleanup());
const env = () => ({ LDAM_DATA_DIR: join(base, 'data'), LDAM_DATA_ROOTS: join(base, 'roots') });

describe('loadDataset', () => {
  it('builds an imbalanced synthetic set with a validation split, normalised by training statistics', async () => {
    const data = await loadDataset(
      datasetOf({
        name: 'synthetic',
        numClasses: 4,
        maxPerClass: 40,
        validationPerClass: 5,
        testPerClass: 10,
        imbalance: { type: 'exp', ratio: 8 },
        synthetic: { shape: [6], separation: 4, testPerClass: 20 },
      }),
    );
    expect(data.inputShape).toEqual([6]);
    expect(data.classCounts).toEqual([40, 20, 10, 5]);
    expect(data.train.count).toBe(75);
    expect(data.validation?.count).toBe(20);
    expect(data.test.count).toBe(40);
    expect(data.train.images.length).toBe(75 * 6);
    expect(data.location).toBe('synthetic');
    const after = channelStats(data.train.images, 6);
    for (const m of after.mean) expect(m).toBeCloseTo(0, 4);
    for (const s of after.std) expect(s).toBeCloseTo(1, 4);
  });

  it('is reproducible from dataset.seed alone', async () => {
    const spec = datasetOf({
      name: 'synthetic',
      maxPerClass: 20,
      synthetic: { shape: [3], separation: 3, testPerClass: 5 },
    });
    const [a, b] = await Promise.all([loadDataset(spec), loadDataset(spec)]);
    expect(Array.from(a.train.images)).toEqual(Array.from(b.train.images));
    const c = await loadDataset({ ...spec, seed: 1 });
    expect(Array.from(c.train.images)).not.toEqual(Array.from(a.train.images));
  });

  it('reads a custom IDX dataset under LDAM_DATA_ROOTS, keeping validation apart from training', async () => {
    await writeIdxDataset(join(base, 'roots', 'tiny'), {
      numClasses: 3,
      trainPerClass: 12,
      testPerClass: 4,
      side: 5,
    });
    const data = await loadDataset(
      datasetOf({
        name: 'custom',
        format: 'idx',
        numClasses: 3,
        source: join(base, 'roots', 'tiny'),
        validationPerClass: 2,
        imbalance: { type: 'step', ratio: 5 },
      }),
      { env: env() },
    );
    expect(data.inputShape).toEqual([5, 5, 1]);
    expect(data.classNames).toEqual(['0', '1', '2']);
    expect(data.classCounts).toEqual([10, 2, 2]);
    expect(data.test.count).toBe(12);
    // Every fixture image is constant and unique, so its first value identifies it.
    const firsts = (images: Float32Array, count: number) =>
      Array.from({ length: count }, (_, n) => images[n * 25]);
    const train = new Set(firsts(data.train.images, data.train.count));
    const validation = firsts(data.validation?.images ?? new Float32Array(), data.validation?.count ?? 0);
    expect(validation.length).toBe(6);
    expect(validation.filter((v) => train.has(v))).toEqual([]);
  });

  it('reads CIFAR-10 from its default directory under the data dir', async () => {
    await writeCifar10(join(base, 'data', 'datasets', 'cifar10'), 2, 1);
    const data = await loadDataset(datasetOf({ name: 'cifar10', imbalance: { type: 'exp', ratio: 10 } }), {
      env: { LDAM_DATA_DIR: join(base, 'data') },
    });
    expect(data.inputShape).toEqual([32, 32, 3]);
    // ⌊10·10^(−i/9)⌋
    expect(data.classCounts).toEqual([10, 7, 5, 4, 3, 2, 2, 1, 1, 1]);
    expect(data.normalization.mean.length).toBe(3);
    expect(data.classNames[0]).toBe('airplane');
  });

  it('rejects an image folder whose class count differs from numClasses', async () => {
    const root = join(base, 'roots', 'folders');
    for (const split of ['train', 'test'])
      for (const name of ['cat', 'dog'])
        await writeFileIn(
          root,
          `${split}/${name}/1.png`,
          pngBytes(3, 3, true, () => 1),
        );
    const spec = datasetOf({ name: 'custom', format: 'image-folder', numClasses: 3, source: root });
    await expect(loadDataset(spec, { env: env() })).rejects.toThrow(
      'has 2 class folders (cat, dog) but dataset.numClasses is 3',
    );
    const ok = await loadDataset(
      { ...spec, numClasses: 2, imbalance: { type: 'none', ratio: 1 } },
      { env: env() },
    );
    expect(ok.classNames).toEqual(['cat', 'dog']);
    expect(ok.inputShape).toEqual([3, 3, 1]);
  });

  it('rejects a source outside the allowed roots', async () => {
    await writeIdxDataset(join(base, 'elsewhere'), { numClasses: 2, trainPerClass: 2, testPerClass: 1 });
    const spec = datasetOf({ name: 'custom', format: 'idx', numClasses: 2, source: join(base, 'elsewhere') });
    await expect(loadDataset(spec, { env: env() })).rejects.toThrow(
      /^dataset\.source: .*outside the allowed data roots/,
    );
  });
});
