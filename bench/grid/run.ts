// Runs a benchmark preset once on this machine through the whole service (API, embedded S3,
// local runner, real trainer), prints the live table and the Markdown results, and writes the
// results (md, csv, svg, json) to bench/grid/results/<preset>/.
//   npm run bench:fmnist-lt            tsx bench/grid/run.ts <preset | benchmark.json> [--seeds 0,1]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePricePerDeviceHour } from '../../functions/benchmarks/cost.ts';
import { isBenchmarkPresetName } from '../../functions/benchmarks/presets.ts';
import { runBench } from '../../functions/cli/bench.ts';
import { createApiClient, ok } from '../../functions/client/client.ts';
import { ApiEnv } from '../../trainer/process/contract.ts';
import { repositoryRoot, startLocalStack } from './stack.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seeds: { type: 'string' }, keep: { type: 'boolean' } },
});
const target = positionals[0] ?? 'fmnist-lt';
const dir = await mkdtemp(join(tmpdir(), 'ldam-bench-'));
const price = parsePricePerDeviceHour(process.env[ApiEnv.pricePerDeviceHour]);
const stack = await startLocalStack({ dir, ...(price === undefined ? {} : { pricePerDeviceHour: price }) });
let code = 1;
try {
  let spec = target;
  if (values.seeds !== undefined && isBenchmarkPresetName(target)) {
    spec = join(dir, 'benchmark.json');
    await writeFile(spec, JSON.stringify({ preset: target, seeds: values.seeds.split(',').map(Number) }));
  }
  const started = Date.now();
  const stderr: string[] = [];
  code = await runBench(['run', spec, '--follow', '--interval', '2', '--url', stack.url], {
    stdout: process.stdout,
    stderr: {
      write: (s: string) => stderr.push(s) > 0 && process.stderr.write(s),
    } as unknown as NodeJS.WritableStream,
    env: {},
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  const id = /benchmark (b-[0-9a-z-]+):/.exec(stderr.join(''))?.[1];
  if (id !== undefined) {
    const api = createApiClient({ url: stack.url });
    const results = (format: 'md' | 'csv' | 'svg' | 'json') =>
      ok(
        api.GET('/v1/benchmarks/{id}/results', {
          params: { path: { id }, query: { format } },
          parseAs: 'text',
        }),
      );
    const out = join(repositoryRoot, 'bench/grid/results', basename(target, '.json'));
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'results.md'), await results('md'));
    await writeFile(join(out, 'results.csv'), await results('csv'));
    await writeFile(join(out, 'per-class.svg'), await results('svg'));
    await writeFile(
      join(out, 'results.json'),
      `${JSON.stringify(JSON.parse(await results('json')), null, 2)}\n`,
    );
    process.stderr.write(
      `\nwall clock ${((Date.now() - started) / 60_000).toFixed(1)} min; results in ${out}\n`,
    );
  }
} finally {
  await stack.stop();
  // A failed or crashed run keeps its store: the finished cells' reports can still be read.
  if (values.keep !== true && code === 0) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  else process.stderr.write(`store kept in ${dir}\n`);
}
process.exitCode = code;
