import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fashionMnistClassNames } from '../../../trainer/data/class-names.ts';
import { localDataFiles } from '../../../trainer/data/files.ts';
import { readIdxDataset } from '../../../trainer/data/idx.ts';
import { loadDataset } from '../../../trainer/data/load.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';

// The real files from Debian's dataset-fashion-mnist package.
const dir = '/usr/share/datasets/fashion-mnist';
const present = existsSync(dir);
if (!present)
  console.log(`skipping Fashion-MNIST tests: ${dir} is absent (apt-get install dataset-fashion-mnist)`);

describe.skipIf(!present)('Fashion-MNIST (real files)', () => {
  it('has 60000 training and 10000 test images of 28×28, 6000 and 1000 per class', async () => {
    const data = await readIdxDataset(localDataFiles(), dir, 10, fashionMnistClassNames);
    expect(data.train.count).toBe(60_000);
    expect(data.test.count).toBe(10_000);
    expect(data.exampleShape).toEqual([28, 28, 1]);
    const perClass = (labels: Int32Array) =>
      Array.from({ length: 10 }, (_, k) => labels.filter((l) => l === k).length);
    expect(perClass(data.train.labels)).toEqual(new Array(10).fill(6000));
    expect(perClass(data.test.labels)).toEqual(new Array(10).fill(1000));
  });

  it('loads the long-tailed version by default: n_max 6000, ρ = 100', async () => {
    const spec = parseExperimentSpec({ version: 1, dataset: { name: 'fashion-mnist', testPerClass: 100 } });
    const data = await loadDataset(spec.dataset, { env: {} });
    expect(data.classCounts[0]).toBe(6000);
    expect(data.classCounts[9]).toBe(60);
    expect(data.train.count).toBe(data.classCounts.reduce((a, b) => a + b, 0));
    expect(data.test.count).toBe(1000);
    expect(data.normalization.mean[0]).toBeGreaterThan(0.2);
    expect(data.normalization.mean[0]).toBeLessThan(0.4);
  });
});
