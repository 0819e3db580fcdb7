// Vitest global setup: every temporary file of a test run (synthesized templates, stores, datasets,
// trainer children's files) goes under one directory made for the run and removed after it, so runs
// do not pile up in the system temp directory. LDAM_KEEP_TEST_TMP=1 keeps it for a post-mortem.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'ldam-tests-'));
  // os.tmpdir() reads TMPDIR on every call, here and in the workers and children that inherit it.
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.LDAM_KEEP_TEST_TMP === '1') console.log(`test temp files kept in ${root}`);
    else rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
