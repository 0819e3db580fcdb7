import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedS3 } from '../../../trainer/store/embedded-s3.ts';

const ldam = resolve('bin/ldam.mjs');
const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ldam-cli-datasets-'));
  roots.push(dir);
  return dir;
}

/** Runs the real CLI in a child process with only the given S3/LDAM variables. */
function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return new Promise((done) => {
    execFile(process.execPath, [ldam, ...args], { env: { ...base, ...env } }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('ldam datasets upload', () => {
  it('uploads to the embedded server in LDAM_DATA_DIR when no endpoint is set, multipart and verified', async () => {
    const dataDir = await tempDir();
    const source = await tempDir();
    const big = randomBytes(6 * 1024 * 1024 + 11);
    await mkdir(join(source, 'train'));
    await writeFile(join(source, 'train', 'images.bin'), big);
    await writeFile(join(source, 'labels.csv'), 'id,label\n0,3\n');

    const result = await run(['datasets', 'upload', source, 'cli-set'], { LDAM_DATA_DIR: dataDir });
    expect(result.stderr).toMatch(/uploaded 2 files .* checksums verified/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('s3://ldam-runner/datasets/cli-set\n');

    const server = await startEmbeddedS3({ dataDir: join(dataDir, 's3') });
    const store = server.createStore();
    try {
      expect(Buffer.from(await store.get('datasets/cli-set/train/images.bin')).equals(big)).toBe(true);
      const manifest = JSON.parse(
        new TextDecoder().decode(await store.get('datasets/cli-set/manifest.json')),
      );
      expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(['labels.csv', 'train/images.bin']);
    } finally {
      store.close();
      await server.stop();
    }
  });

  it('uploads to the configured S3 endpoint and bucket', async () => {
    const server = await startEmbeddedS3({ dataDir: await tempDir(), bucket: 'other-bucket' });
    const source = await tempDir();
    await writeFile(join(source, 'x.txt'), 'x');
    try {
      const result = await run(['datasets', 'upload', source, 'remote-set'], server.childEnv());
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('s3://other-bucket/datasets/remote-set\n');
      const store = server.createStore();
      expect(new TextDecoder().decode(await store.get('datasets/remote-set/x.txt'))).toBe('x');
      store.close();
    } finally {
      await server.stop();
    }
  });

  it('exits 3 with the reason for a directory it cannot upload, and 2 for bad usage', async () => {
    const dataDir = await tempDir();
    const missing = await run(['datasets', 'upload', join(dataDir, 'nope'), 'some-set'], {
      LDAM_DATA_DIR: dataDir,
    });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/is not a directory/);
    const usage = await run(['datasets', 'download'], { LDAM_DATA_DIR: dataDir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: ldam datasets upload/);
  });
});
