// The paper-imdb preset end to end at test scale: a generated corpus in the real aclImdb layout
// where the preset's own `source: "aclImdb"` finds it (<data dir>/datasets/aclImdb), the preset
// with small overrides (data, widths, epochs, CPU resources), through the whole local service (API,
// embedded S3, local runner, real `ldam train` processes) and `ldam bench run --follow`, which
// prints the live table and the Markdown results with Table 1's values beside each cell.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBench } from '../../functions/cli/bench.ts';
import { writeShortImdbCorpus } from '../../tests/support/imdb.ts';
import { startLocalStack } from '../grid/stack.ts';

/** Overrides of the preset's base: everything but the recipe's shape is shrunk. */
export const imdbTestScaleBase = {
  dataset: { text: { maxLength: 12, maxVocab: 400, minCount: 1 } },
  model: { bilstm: { embeddingDim: 8, units: 6 } },
  optimizer: { lr: 0.01, batchSize: 32 },
  schedule: { epochs: 1, decay: [] },
  rebalance: { afterEpoch: 0 },
  checkpoint: { everyEpochs: 100, keepLast: 1 },
  resources: { gpus: 0, cpus: 1, memoryGiB: 2, timeoutMinutes: 10 },
} as const;

/** 60 reviews per class (neg keeps 6 under the preset's step ρ = 10), 20 per class to test. */
export function writeTestScaleCorpus(dataDir: string): Promise<string> {
  return writeShortImdbCorpus(
    join(dataDir, 'datasets', 'aclImdb'),
    { train: 60, test: 20, seed: 3 },
    { signal: 0.3 },
  );
}

export interface ImdbTestScaleOptions {
  /** Scratch directory: embedded S3 objects, data directory, the benchmark file. */
  readonly dir: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Trainer processes at once (default 2: one per core of a 2-core machine). */
  readonly maxConcurrentJobs?: number;
  readonly trainerEnv?: Readonly<Record<string, string>>;
}

/** Runs the preset at test scale; returns `ldam bench run`'s exit code (0: every cell succeeded). */
export async function runImdbTestScale(options: ImdbTestScaleOptions): Promise<number> {
  await writeTestScaleCorpus(join(options.dir, 'data'));
  const stack = await startLocalStack({
    dir: options.dir,
    maxConcurrentJobs: options.maxConcurrentJobs ?? 2,
    ...(options.trainerEnv === undefined ? {} : { trainerEnv: options.trainerEnv }),
  });
  try {
    const file = join(options.dir, 'bench', 'paper-imdb-test-scale.json');
    await mkdir(join(options.dir, 'bench'), { recursive: true });
    await writeFile(file, JSON.stringify({ preset: 'paper-imdb', base: imdbTestScaleBase }));
    return await runBench(['run', file, '--follow', '--interval', '0.5', '--url', stack.url], {
      stdout: options.stdout,
      stderr: options.stderr,
      env: {},
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
  } finally {
    await stack.stop();
  }
}
