// Sharded uploads end to end: images packed into tar shards with an index, uploaded to the
// embedded S3 server, then read back by the trainer's loader through a bounded shard cache
// (whole shards while it has room, ranged GETs after) — the same batches as the local files.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../../trainer/data/index.ts';
import { extractTar } from '../../../../trainer/data/tar.ts';
import type { DataSplit } from '../../../../trainer/data/types.ts';
import { parseExperimentSpec } from '../../../../trainer/spec/index.ts';
import { stageShardedDataset } from '../../../../trainer/store/dataset-shards.ts';
import { uploadDataset } from '../../../../trainer/store/dataset-upload.ts';
import { type EmbeddedS3, startEmbeddedS3 } from '../../../../trainer/store/embedded-s3.ts';
import type { S3Store } from '../../../../trainer/store/s3-store.ts';
import { runLdam } from '../../cli/child.ts';
import { makeTempDir } from '../fixtures.ts';
import { writeTinyImagenet } from './fixtures.ts';

let root: { dir: string; cleanup: () => Promise<void> };
let server: EmbeddedS3;
let store: S3Store;
const source = () => join(root.dir, 'tiny');

beforeAll(async () => {
  root = await makeTempDir('ldam-shards-');
  await writeTinyImagenet(source(), { wnids: ['n1', 'n2', 'n3'], trainPerClass: 10, valPerClass: 2 });
  server = await startEmbeddedS3({ dataDir: join(root.dir, 's3') });
  store = server.createStore();
});
afterAll(async () => {
  store.close();
  await server.stop();
  await root.cleanup();
});

const spec = (src: string) =>
  parseExperimentSpec({
    version: 1,
    dataset: {
      name: 'tiny-imagenet',
      source: src,
      numClasses: 3,
      imbalance: { type: 'none' },
      loader: 'stream',
      image: { size: 16 },
    },
  });

async function allEval(split: DataSplit): Promise<number[]> {
  const out: number[] = [];
  const order = Int32Array.from({ length: split.count }, (_, i) => i);
  for await (const b of split.source?.batches(order, 16, 0, { kind: 'eval' }) ?? []) out.push(...b.images);
  return out;
}

async function dirBytes(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const n of names) total += (await stat(join(dir, n))).size;
  return total;
}

describe('sharded image datasets', () => {
  it('packs images into valid tar shards whose index points at each image, other files kept as they are', async () => {
    const staging = join(root.dir, 'staged');
    const staged = await stageShardedDataset(source(), staging, 8 * 1024);
    expect(staged).toMatchObject({ images: 36, otherFiles: 5 });
    expect(staged.shards).toBeGreaterThan(2);
    // Each shard is an ordinary tar: the generic extractor unpacks it.
    const written = await extractTar(
      new Uint8Array(
        await (await import('node:fs/promises')).readFile(join(staging, 'shards', 'shard-00000.tar')),
      ),
      'shard-00000.tar',
      join(root.dir, 'unpacked'),
      1 << 20,
    );
    expect(written[0]).toBe('train/n1/images/n1_0.JPEG');
  });

  it('loads from S3 through the shard cache: the same images as the local files, cache within its budget', async () => {
    await uploadDataset(store, join(root.dir, 'staged'), 'tiny-sharded');
    const env = {
      LDAM_DATA_ROOTS: root.dir,
      LDAM_DATA_DIR: join(root.dir, 'data'),
      S3_BUCKET: 'ldam-runner',
      LDAM_SHARD_CACHE_MB: String(20 / 1024),
    };
    const fromS3 = await loadDataset(spec('s3://ldam-runner/datasets/tiny-sharded').dataset, {
      env,
      objectSources: () => store,
    });
    const local = await loadDataset(spec(source()).dataset, { env });
    expect(fromS3.location).toBe('s3://ldam-runner/datasets/tiny-sharded/ (sharded)');
    expect(await allEval(fromS3.train)).toEqual(await allEval(local.train));
    expect(await allEval(fromS3.test)).toEqual(await allEval(local.test));
    const cached = await dirBytes(
      join(root.dir, 'data', 'cache', 'shards', 'ldam-runner', 'datasets', 'tiny-sharded', 'shards'),
    );
    expect(cached).toBeGreaterThan(0);
    expect(cached).toBeLessThanOrEqual(20 * 1024);
  });

  it('ldam datasets upload --shard uploads shards, index and the other files', async () => {
    const dataDir = join(root.dir, 'cli-data');
    const result = await runLdam(['datasets', 'upload', source(), 'tiny-cli', '--shard', '--shard-mb', '1'], {
      env: { LDAM_DATA_DIR: dataDir },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('packed 36 images into 1 shard(s)');
    expect(result.stdout.trim()).toBe('s3://ldam-runner/datasets/tiny-cli');
  });
});
