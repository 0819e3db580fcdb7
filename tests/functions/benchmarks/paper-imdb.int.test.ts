// The paper-imdb preset end to end at test scale (bench/imdb/test-scale.ts, also
// `npm run bench:imdb-test-scale`): a generated corpus in the real aclImdb layout, real HTTP
// server, embedded S3, local runner, real `ldam train` processes and `ldam bench run --follow`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImdbTestScale } from '../../../bench/imdb/test-scale.ts';

function collector() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-paper-imdb-'));
});
afterAll(() => rm(dir, { recursive: true, force: true, maxRetries: 5 }));

describe('paper-imdb through the API at test scale', () => {
  it('runs ERM, RS, RW and LDAM-DRW on the aclImdb layout and prints the table beside Table 1', async () => {
    const stdout = collector();
    const stderr = collector();
    const code = await runImdbTestScale({
      dir,
      stdout: stdout.stream,
      stderr: stderr.stream,
      trainerEnv: { LDAM_BACKEND: 'wasm' },
    });
    const printed = stdout.text();
    console.log(printed.slice(printed.indexOf('## paper-imdb')));
    expect(code, stderr.text()).toBe(0);
    expect(stderr.text()).toMatch(/benchmark b-[0-9a-z-]+: 4 cells/);
    // The final Markdown table: one row per method, its error and the paper's mean error beside it.
    for (const [row, paper] of [
      ['ERM', '36.82'],
      ['RS', '26.50'],
      ['RW', '23.66'],
      ['LDAM-DRW', '17.84'],
    ]) {
      const line = printed.split('\n').find((l) => new RegExp(`^\\|\\s*${row}\\s*\\|`).test(l));
      expect(line, `${row} row in\n${printed}`).toBeDefined();
      expect(line).toMatch(new RegExp(`\\| \\d+\\.\\d\\d \\(paper ${paper}\\) \\|`));
    }
  });
});
