import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectSource } from '../../../trainer/data/download.ts';
import { DataError } from '../../../trainer/data/errors.ts';
import { sourcePolicyFromEnv } from '../../../trainer/data/source-policy.ts';
import { resolveDatasetSource } from '../../../trainer/data/sources.ts';
import { makeTempDir, writeFileIn } from './fixtures.ts';

let base: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: base, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

const custom = (source: string) => ({ name: 'custom' as const, source });

async function rejection(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DataError)) throw new Error(`expected a DataError, got ${String(error)}`);
  return error;
}

describe('local sources', () => {
  const policyFor = () => sourcePolicyFromEnv({ LDAM_DATA_DIR: join(base, 'data') }, base);

  beforeEach(async () => {
    await mkdir(join(base, 'data', 'datasets', 'mine'), { recursive: true });
    await mkdir(join(base, 'outside', 'secret'), { recursive: true });
    await writeFileIn(join(base, 'outside'), 'secret.bin', 'top secret');
  });

  it('resolves a relative path under <data dir>/datasets', async () => {
    const source = await resolveDatasetSource(custom('mine'), policyFor());
    expect(source.dir).toBe(join(base, 'data', 'datasets', 'mine'));
  });

  it('accepts an absolute path under an allowed root', async () => {
    const source = await resolveDatasetSource(custom(join(base, 'data', 'datasets', 'mine')), policyFor());
    expect(source.dir).toBe(join(base, 'data', 'datasets', 'mine'));
  });

  it("rejects '..' segments even when they land inside a root", async () => {
    const error = await rejection(resolveDatasetSource(custom('mine/../mine'), policyFor()));
    expect(error.message).toBe("dataset.source: 'mine/../mine' must not contain '..' segments");
    await rejection(resolveDatasetSource(custom('../../outside'), policyFor()));
  });

  it('rejects an absolute path outside the roots, naming the rule', async () => {
    const error = await rejection(resolveDatasetSource(custom(join(base, 'outside')), policyFor()));
    expect(error.message).toMatch(
      /^dataset\.source: '.*outside' resolves to .*outside, outside the allowed data roots/,
    );
    expect(error.message).toContain('LDAM_DATA_ROOTS');
  });

  it('does not reveal whether a path outside the roots exists', async () => {
    const absent = await rejection(
      resolveDatasetSource(custom(join(base, 'outside', 'absent')), policyFor()),
    );
    expect(absent.message).toContain('outside the allowed data roots');
  });

  it('rejects a symlink inside a root that points out of it', async () => {
    await symlink(join(base, 'outside', 'secret'), join(base, 'data', 'datasets', 'link'));
    const error = await rejection(resolveDatasetSource(custom('link'), policyFor()));
    expect(error.message).toContain('outside the allowed data roots');
  });

  it('refuses to read a file that is a symlink out of the root', async () => {
    await symlink(join(base, 'outside', 'secret.bin'), join(base, 'data', 'datasets', 'mine', 'train.bin'));
    const source = await resolveDatasetSource(custom('mine'), policyFor());
    const error = await rejection(source.files.read(join(source.dir, 'train.bin')));
    expect(error.message).toMatch(/^train\.bin: resolves to .*secret\.bin, outside the allowed data roots/);
  });

  it('honours LDAM_DATA_ROOTS instead of the defaults', async () => {
    const policy = sourcePolicyFromEnv(
      { LDAM_DATA_DIR: join(base, 'data'), LDAM_DATA_ROOTS: join(base, 'outside') },
      base,
    );
    expect((await resolveDatasetSource(custom(join(base, 'outside', 'secret')), policy)).dir).toBe(
      join(base, 'outside', 'secret'),
    );
    await rejection(resolveDatasetSource(custom('mine'), policy));
  });

  it('rejects a missing directory and other URL schemes', async () => {
    expect((await rejection(resolveDatasetSource(custom('nope'), policyFor()))).message).toContain(
      'does not exist',
    );
    const error = await rejection(resolveDatasetSource(custom('file:///etc'), policyFor()));
    expect(error.message).toContain('only local paths, s3:// and https:// sources are accepted');
    await rejection(resolveDatasetSource(custom('http://example.org/x.tar'), policyFor()));
  });

  it('uses the configured Fashion-MNIST directory when the spec names no source', async () => {
    const policy = sourcePolicyFromEnv({ LDAM_FASHION_MNIST_DIR: join(base, 'outside', 'secret') }, base);
    expect((await resolveDatasetSource({ name: 'fashion-mnist' }, policy)).dir).toBe(
      join(base, 'outside', 'secret'),
    );
    const missing = sourcePolicyFromEnv({ LDAM_FASHION_MNIST_DIR: join(base, 'none') }, base);
    expect((await rejection(resolveDatasetSource({ name: 'fashion-mnist' }, missing))).message).toMatch(
      /^fashion-mnist: default dataset directory .* does not exist/,
    );
  });
});

/** An in-memory object store standing in for the S3 adapter (the port's real adapter is tested in sources.int.test.ts). */
function memoryObjects(objects: Record<string, string>): ObjectSource & { gets: string[] } {
  const gets: string[] = [];
  return {
    gets,
    list: async (prefix) =>
      Object.entries(objects)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, body]) => ({ key, size: Buffer.byteLength(body) })),
    get: async (key) => {
      gets.push(key);
      return new TextEncoder().encode(objects[key]);
    },
  };
}

describe('s3 sources (in-memory object source)', () => {
  const policyFor = () =>
    sourcePolicyFromEnv({ LDAM_DATA_DIR: join(base, 'data'), S3_BUCKET: 'proj-bucket' }, base);

  it('mirrors the prefix into the cache once, and reads it confined to the cache', async () => {
    const objects = memoryObjects({
      'datasets/set/train/a.txt': 'alpha',
      'datasets/set/nested/b.txt': 'beta',
      'datasets/set/': '',
      'datasets/other/c.txt': 'gamma',
    });
    const buckets: string[] = [];
    const access = {
      objectSources: (bucket: string) => {
        buckets.push(bucket);
        return objects;
      },
    };
    const source = await resolveDatasetSource(custom('s3://proj-bucket/datasets/set'), policyFor(), access);
    expect(buckets).toEqual(['proj-bucket']);
    expect(source.dir).toBe(join(base, 'data', 'cache', 's3', 'proj-bucket', 'datasets', 'set'));
    expect(await readFile(join(source.dir, 'nested', 'b.txt'), 'utf8')).toBe('beta');
    expect(new TextDecoder().decode(await source.files.read(join(source.dir, 'train', 'a.txt')))).toBe(
      'alpha',
    );
    await resolveDatasetSource(custom('s3://proj-bucket/datasets/set'), policyFor(), access);
    expect(objects.gets.sort()).toEqual(['datasets/set/nested/b.txt', 'datasets/set/train/a.txt']);
  });

  it('rejects prefixes outside datasets/ and s3 roots before touching storage', async () => {
    const access = {
      objectSources: () => {
        throw new Error('must not be called');
      },
    };
    const error = await rejection(
      resolveDatasetSource(custom('s3://proj-bucket/jobs/1'), policyFor(), access),
    );
    expect(error.message).toContain(
      'neither under an s3:// entry of LDAM_DATA_ROOTS nor under s3://proj-bucket/datasets/',
    );
  });

  it('rejects unsafe object names, empty prefixes, oversized sets and missing storage access', async () => {
    const evil = { objectSources: () => memoryObjects({ 'datasets/x/a/../../../escape': 'x' }) };
    expect(
      (await rejection(resolveDatasetSource(custom('s3://proj-bucket/datasets/x'), policyFor(), evil)))
        .message,
    ).toContain('unsafe name');
    const empty = { objectSources: () => memoryObjects({}) };
    await rejection(resolveDatasetSource(custom('s3://proj-bucket/datasets/x'), policyFor(), empty));
    const big = { objectSources: () => memoryObjects({ 'datasets/x/a': '0123456789' }) };
    const small = sourcePolicyFromEnv(
      { LDAM_DATA_DIR: join(base, 'data'), S3_BUCKET: 'proj-bucket' },
      base,
      5,
    );
    expect(
      (await rejection(resolveDatasetSource(custom('s3://proj-bucket/datasets/x'), small, big))).message,
    ).toContain('over the 5-byte cap');
    expect(
      (await rejection(resolveDatasetSource(custom('s3://proj-bucket/datasets/x'), policyFor()))).message,
    ).toContain('needs object storage access');
  });
});
