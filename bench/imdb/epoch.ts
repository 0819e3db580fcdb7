// npm run bench:imdb-epoch [-- --steps 20 | --full] — what one epoch of the paper-imdb preset costs
// on this machine's CPU: a generated corpus of the real size in the aclImdb layout (12,500 + 12,500
// training reviews, of which step ρ = 10 on neg keeps 13,750), the preset's LDAM-DRW cell (BiLSTM
// 128/128, 200 tokens, 20,000 words, Adam, batch 64) through the trainer's own loop, on the
// backend the selection rule picks. By default it times a fixed number of steps after one warm-up
// step and extrapolates to the epoch's 215 steps (a full epoch is long on a shared machine);
// `--full` trains the whole epoch. Evaluation is timed on a small test split and scaled to 25,000.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { expandBenchmark } from '../../functions/benchmarks/expand.ts';
import { parseBenchmarkSpec } from '../../functions/benchmarks/parse.ts';
import { loadDataset } from '../../trainer/data/index.ts';
import { writeImdbCorpus } from '../../trainer/data/text/generate.ts';
import { selectBackend } from '../../trainer/engine/index.ts';
import {
  activeBackendName,
  evaluateSplit,
  runTraining,
  trainingRunFromSpec,
} from '../../trainer/loop/index.ts';
import { resolveExperiment } from '../../trainer/spec/index.ts';
import { imdbLengths } from './lengths.ts';

const { values } = parseArgs({
  options: { steps: { type: 'string', default: '20' }, full: { type: 'boolean', default: false } },
});
const measured = Number(values.steps);
if (!Number.isInteger(measured) || measured < 1) throw new Error('--steps must be a positive integer');
const warmup = 1;
const realTestReviews = 25_000;
const testPerClass = 100;

const dir = await mkdtemp(join(tmpdir(), 'ldam-imdb-epoch-'));
try {
  const t0 = performance.now();
  const source = await writeImdbCorpus(join(dir, 'aclImdb'), {
    trainPerClass: [12_500, 12_500],
    testPerClass: [testPerClass, testPerClass],
    seed: 0,
    ...imdbLengths,
    // Real-sized vocabulary: aclImdb's imdb.vocab lists 89,527 words; the preset keeps 20,000.
    sharedWords: 89_527,
    classWords: 2_000,
  });
  log(`corpus: 25,000 training + ${2 * testPerClass} test reviews in ${seconds(t0).toFixed(1)} s`);

  const [cell] = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-imdb', methods: ['ldam-drw'] })).cells;
  if (cell === undefined) throw new Error('paper-imdb has no LDAM-DRW cell');
  const spec = { ...cell.spec, dataset: { ...cell.spec.dataset, source } };
  const backend = await selectBackend();
  log(
    `backend: ${backend.backend} (${backend.device}); tried ${backend.tried.map((t) => t.name).join(', ')}`,
  );

  const t1 = performance.now();
  const dataset = await loadDataset(spec.dataset, { env: { ...process.env, LDAM_DATA_ROOTS: dir } });
  log(
    `loaded, tokenised, vocabulary built: ${dataset.classCounts.join(' + ')} training reviews, ` +
      `${dataset.vocabulary?.tokens.length ?? 0} tokens in the vocabulary, in ${seconds(t1).toFixed(1)} s`,
  );
  const perEpoch = Math.ceil(dataset.train.count / spec.optimizer.batchSize);
  const target = values.full ? perEpoch : Math.min(perEpoch, warmup + measured);
  const stamps: number[] = [];
  // Process CPU time beside wall time: on a shared machine the wall clock counts other people's work,
  // and the wasm kernels run on one thread, so CPU seconds are what an idle core would take.
  const cpu: number[] = [];
  const abort = new AbortController();
  const run = trainingRunFromSpec(resolveExperiment(spec), dataset, {
    memory: { backend: activeBackendName() },
    signal: abort.signal,
    hooks: {
      onProgress: (p) => {
        stamps.push(performance.now());
        cpu.push(cpuSeconds());
        const last = (stamps.at(-1) ?? 0) - (stamps.at(-2) ?? started);
        process.stderr.write(`\rstep ${p.batch}/${target} of ${p.batches} (${(last / 1000).toFixed(1)} s)  `);
        if (p.batch >= target) abort.abort();
      },
    },
  });
  const plan = run.memoryPlan;
  if (plan !== undefined)
    log(
      `memory plan: ${plan.microBatches} pass(es) of ${plan.microBatchSize} per batch, ` +
        `~${Math.round(plan.estimatedPeakBytes / 2 ** 20)} MiB peak of ${Math.round(plan.budgetBytes / 2 ** 20)} MiB`,
    );
  const started = performance.now();
  const cpuAtStart = cpuSeconds();
  await runTraining(run);
  process.stderr.write('\n');
  const timed = values.full ? stamps.length : stamps.length - warmup;
  const span = values.full
    ? (stamps.at(-1) ?? 0) - started
    : (stamps.at(-1) ?? 0) - (stamps[warmup - 1] ?? 0);
  const perStep = span / 1000 / timed;
  const cpuPerStep = ((cpu.at(-1) ?? 0) - (values.full ? cpuAtStart : (cpu[warmup - 1] ?? 0))) / timed;

  const c2 = cpuSeconds();
  await evaluateSplit(run.model, dataset.test, dataset.inputShape, 256, run.score);
  const evalPerReview = (cpuSeconds() - c2) / dataset.test.count;
  run.optimizer.dispose();
  run.model.dispose();

  const trainEpoch = cpuPerStep * perEpoch;
  const evalEpoch = evalPerReview * realTestReviews;
  log(
    `${values.full ? 'measured the whole epoch' : `measured ${timed} step(s) after ${warmup} warm-up, extrapolated`}: ` +
      `${cpuPerStep.toFixed(1)} CPU s/step (wall ${perStep.toFixed(1)} s on this shared machine) × ${perEpoch} steps ` +
      `= ${(trainEpoch / 60).toFixed(0)} min training + ${(evalEpoch / 60).toFixed(0)} min evaluating 25,000 test ` +
      `reviews (${(1000 * evalPerReview).toFixed(0)} CPU ms/review over ${dataset.test.count})`,
  );
  log(
    `one epoch ≈ ${((trainEpoch + evalEpoch) / 3600).toFixed(1)} h of one core on ${backend.device}; ` +
      `${(dataset.train.count / trainEpoch).toFixed(2)} training reviews/s`,
  );
} finally {
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
