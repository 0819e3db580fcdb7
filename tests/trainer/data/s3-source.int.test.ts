import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../trainer/data/load.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { type EmbeddedS3, startEmbeddedS3 } from '../../../trainer/store/embedded-s3.ts';
import { makeTempDir, writeIdxDataset } from './fixtures.ts';

// A real S3-compatible server (the embedded s3rver) and the project's S3 Store adapter as the
// object source: a Store already has the `list(prefix)` / `get(key)` a dataset download needs.

let s3: EmbeddedS3;
let base: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: base, cleanup } = await makeTempDir());
  s3 = await startEmbeddedS3({ dataDir: join(base, 's3'), bucket: 'ldam-runner' });
  await writeIdxDataset(join(base, 'upload'), { numClasses: 3, trainPerClass: 10, testPerClass: 2, side: 4 });
  const store = s3.createStore();
  for (const name of await readdir(join(base, 'upload')))
    await store.put(`datasets/tiny/${name}`, await readFile(join(base, 'upload', name)));
});
afterAll(async () => {
  await s3?.stop();
  await cleanup();
});

describe('s3:// dataset sources', () => {
  it("downloads the project bucket's datasets/ prefix into the cache and loads it", async () => {
    const spec = parseExperimentSpec({
      version: 1,
      model: { arch: 'mlp' },
      dataset: {
        name: 'custom',
        format: 'idx',
        numClasses: 3,
        source: 's3://ldam-runner/datasets/tiny',
        validationPerClass: 1,
      },
    });
    const buckets: string[] = [];
    const data = await loadDataset(spec.dataset, {
      env: { LDAM_DATA_DIR: join(base, 'data'), S3_BUCKET: 'ldam-runner' },
      objectSources: (bucket) => {
        buckets.push(bucket);
        return s3.createStore({ bucket });
      },
    });
    expect(buckets).toEqual(['ldam-runner']);
    expect(data.location).toBe(join(base, 'data', 'cache', 's3', 'ldam-runner', 'datasets', 'tiny'));
    expect(data.inputShape).toEqual([4, 4, 1]);
    // n_max = 10 − 1 validation; ρ = 100 floors the tail to its minimum of one image.
    expect(data.classCounts).toEqual([9, 1, 1]);
    expect(data.validation?.count).toBe(3);
    expect(data.test.count).toBe(6);
  });
});
