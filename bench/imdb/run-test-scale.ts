// npm run bench:imdb-test-scale — the paper-imdb preset at test scale on this machine (a generated
// corpus in the aclImdb layout; four cells of a few seconds each), printing its table beside
// Table 1. The real preset: `ldam bench run paper-imdb --follow` against a stack holding aclImdb.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImdbTestScale } from './test-scale.ts';

const dir = await mkdtemp(join(tmpdir(), 'ldam-imdb-test-scale-'));
try {
  process.exitCode = await runImdbTestScale({ dir, stdout: process.stdout, stderr: process.stderr });
} finally {
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
}
