import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractTar } from '../../../trainer/data/tar.ts';
import { makeTempDir } from './fixtures.ts';

// Archives come from the system tar(1), so the reader is checked against the real format.

let base: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: base, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

describe('extractTar', () => {
  it('unpacks files, nested directories and long (pax/GNU) names', async () => {
    const long = `${'d'.repeat(90)}/${'f'.repeat(120)}.bin`;
    await mkdir(join(base, 'src', 'a', 'b'), { recursive: true });
    await mkdir(join(base, 'src', 'd'.repeat(90)), { recursive: true });
    await writeFile(join(base, 'src', 'a', 'b', 'one.bin'), Buffer.from([1, 2, 3]));
    await writeFile(join(base, 'src', long), 'long name');
    for (const format of ['gnu', 'pax']) {
      const archive = join(base, `x-${format}.tgz`);
      execFileSync('tar', [`--format=${format}`, '-czf', archive, '-C', join(base, 'src'), '.']);
      const out = join(base, `out-${format}`);
      const written = await extractTar(await readFile(archive), 'x.tgz', out, 1 << 20);
      expect(written.sort()).toEqual(['a/b/one.bin', long].sort());
      expect(Array.from(await readFile(join(out, 'a', 'b', 'one.bin')))).toEqual([1, 2, 3]);
      expect(await readFile(join(out, long), 'utf8')).toBe('long name');
    }
  });

  it('refuses entries that climb out of the target directory', async () => {
    await mkdir(join(base, 'inner'), { recursive: true });
    await writeFile(join(base, 'evil.txt'), 'x');
    const archive = join(base, 'evil.tar');
    execFileSync('tar', ['-cPf', archive, '-C', join(base, 'inner'), '../evil.txt']);
    await expect(extractTar(await readFile(archive), 'evil.tar', join(base, 'out'), 1 << 20)).rejects.toThrow(
      "evil.tar: entry '../evil.txt' would be written outside the extraction directory",
    );
  });

  it('rejects a truncated archive', async () => {
    await mkdir(join(base, 'src'), { recursive: true });
    await writeFile(join(base, 'src', 'big.bin'), Buffer.alloc(5000, 7));
    execFileSync('tar', ['-cf', join(base, 'a.tar'), '-C', join(base, 'src'), 'big.bin']);
    const bytes = (await readFile(join(base, 'a.tar'))).subarray(0, 2048);
    await expect(extractTar(bytes, 'a.tar', join(base, 'out'), 1 << 20)).rejects.toThrow(
      /^a\.tar: truncated/,
    );
  });
});
