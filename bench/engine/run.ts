import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type BenchModel,
  benchModels,
  median,
  runWorker,
  type WorkerRequest,
  type WorkerResult,
} from './worker.ts';

// `npm run bench:engine [-- --json FILE] [--models mlp,resnet8] [--backends onednn,wasm,cpu]
// [--runs 5] [--steps 1] [--threads N] [--profile] [--budget-mb MB]`: training-step throughput and
// peak memory of the product's models on every tfjs backend that loads, next to the same step in
// PyTorch (LDAM_PYTHON, default /usr/bin/python3), both its default (NCHW) step and channels_last,
// all at the same thread count. Each of the --runs rounds runs every side once, in turn, in a
// fresh process (interleaved: load on a shared machine hits all sides alike); rows report medians.
// --budget-mb splits batches into micro-batches as the training loop does under a memory budget;
// --profile prints per-kernel time (CPU time on wasm/cpu, wall time on onednn).

const here = dirname(fileURLToPath(import.meta.url));
const defaultBatch = 128;
// Pure-JS cpu needs minutes per conv step at batch 128: a small batch, or none for ResNet-32.
const cpuBatches: Record<BenchModel, number | undefined> = {
  mlp: defaultBatch,
  resnet8: 4,
  resnet32: undefined,
};

export interface BenchRow {
  readonly model: BenchModel;
  readonly backend: string;
  readonly batch: number;
  readonly imagesPerSec: number | null;
  readonly peakMemoryMB: number | null;
  /** PyTorch's default (NCHW) step. */
  readonly pytorchImagesPerSec: number | null;
  readonly pytorchPeakMemoryMB: number | null;
  readonly ratio: number | null;
  readonly pytorchChannelsLastImagesPerSec?: number | null;
  readonly pytorchChannelsLastPeakMemoryMB?: number | null;
  readonly imagesPerCpuSec?: number;
  readonly pytorchImagesPerCpuSec?: number;
  readonly device?: string;
  readonly threads?: number;
  readonly runs?: number;
  readonly measuredAt?: string;
  readonly note?: string;
}

interface PytorchResult {
  readonly imagesPerSec: number;
  readonly imagesPerCpuSec: number;
  readonly peakMemoryMB: number;
  readonly threads: number;
}

type Layout = 'default' | 'channels_last';

interface Side {
  readonly key: string;
  readonly run: () => Promise<WorkerResult | PytorchResult | string>;
}

interface BenchSettings {
  readonly backends: readonly string[];
  readonly rounds: number;
  readonly steps: number;
  readonly threads: number;
  readonly python: string;
  readonly budgetBytes: number | undefined;
  readonly profile: boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'string' },
      models: { type: 'string', default: Object.keys(benchModels).join(',') },
      backends: { type: 'string', default: 'tensorflow-gpu,tensorflow,onednn,wasm,cpu' },
      runs: { type: 'string', default: '5' },
      steps: { type: 'string', default: '1' },
      threads: { type: 'string', default: String(availableParallelism()) },
      profile: { type: 'boolean', default: false },
      'budget-mb': { type: 'string' },
      worker: { type: 'string' },
    },
  });
  if (values.worker !== undefined) return workerMode(values.worker);
  // Both sides get the OpenMP wait policy the trainer uses (onednn/addon.ts): PyTorch links the
  // same libgomp, so the comparison differs in the engines only.
  process.env.OMP_WAIT_POLICY ??= 'passive';
  const loadBefore = loadavg()[0] ?? 0;
  const settings: BenchSettings = {
    backends: values.backends.split(','),
    rounds: Math.max(5, Number(values.runs)),
    steps: Math.max(1, Number(values.steps)),
    threads: Math.max(1, Number(values.threads)),
    python: process.env.LDAM_PYTHON ?? '/usr/bin/python3',
    budgetBytes: values['budget-mb'] === undefined ? undefined : Number(values['budget-mb']) * 2 ** 20,
    profile: values.profile,
  };
  const rows: BenchRow[] = [];
  for (const model of values.models.split(',') as BenchModel[]) {
    if (!(model in benchModels)) throw new Error(`unknown model '${model}'`);
    rows.push(...(await benchRowsOf(model, settings)));
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  // The machine may be shared: numbers are only comparable within one run, at this load.
  process.stdout.write(
    `threads ${settings.threads}, OMP_WAIT_POLICY=${process.env.OMP_WAIT_POLICY}, load average ${loadBefore.toFixed(1)} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end\n`,
  );
  if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(rows, null, 2)}\n`);
}

/** One measurement in this process, asked for by the parent (`--worker <request JSON>`). */
async function workerMode(request: string): Promise<void> {
  try {
    process.stdout.write(`${JSON.stringify(await runWorker(JSON.parse(request) as WorkerRequest))}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

/** One model: every side interleaved for the rounds, then one row per backend beside PyTorch. */
async function benchRowsOf(model: BenchModel, settings: BenchSettings): Promise<BenchRow[]> {
  const { backends, rounds, steps, threads, python, budgetBytes } = settings;
  const request = (backend: string, batch: number, profile: boolean): WorkerRequest => ({
    model,
    backend,
    batch,
    runs: 1,
    stepsPerRun: steps,
    profile,
    threads,
    ...(budgetBytes === undefined ? {} : { budgetBytes }),
  });
  const batchOf = (backend: string) => (backend === 'cpu' ? cpuBatches[model] : defaultBatch);
  const layouts: Layout[] = model === 'mlp' ? ['default'] : ['default', 'channels_last'];
  const sides: Side[] = [
    ...layouts.map((layout) => ({
      key: `torch:${layout}`,
      run: () => runPytorch(python, model, defaultBatch, steps, threads, layout),
    })),
    ...backends.flatMap((backend) => {
      const batch = batchOf(backend);
      return batch === undefined
        ? []
        : [{ key: backend, run: () => runChild(request(backend, batch, false)) }];
    }),
  ];
  const samples = await interleave(sides, rounds, model);
  const torch = summarisePytorch(samples.get('torch:default'));
  const torchCl = summarisePytorch(samples.get('torch:channels_last'));
  const rows: BenchRow[] = [];
  for (const backend of backends) {
    const batch = batchOf(backend);
    if (batch === undefined) {
      const note = 'skipped: minutes per step on pure-JS cpu';
      rows.push(row(model, backend, defaultBatch, undefined, torch, torchCl, note));
      continue;
    }
    const result = summariseWorker(samples.get(backend));
    if (typeof result === 'string') {
      rows.push(row(model, backend, batch, undefined, torch, torchCl, result));
      continue;
    }
    if (settings.profile && backend !== 'cpu') await printProfile(request(backend, batch, true));
    const small =
      batch === defaultBatch ? undefined : `batch ${batch} (pure-JS cpu is too slow for ${defaultBatch})`;
    const split = result.microBatches > 1 ? `${result.microBatches} micro-batches (--budget-mb)` : undefined;
    const note = [small, split].filter((n) => n !== undefined).join('; ') || undefined;
    rows.push(row(model, backend, batch, result, torch, torchCl, note, rounds));
  }
  return rows;
}

/** Every side once per round, in turn; a side that fails is not run again (its reason is kept). */
async function interleave(
  sides: readonly Side[],
  rounds: number,
  model: string,
): Promise<Map<string, (WorkerResult | PytorchResult)[] | string>> {
  const samples = new Map<string, (WorkerResult | PytorchResult)[] | string>();
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      const sofar = samples.get(side.key) ?? [];
      if (typeof sofar === 'string') continue;
      process.stderr.write(`\r${model}: round ${round + 1}/${rounds}, ${side.key}        `);
      const result = await side.run();
      samples.set(side.key, typeof result === 'string' ? result : [...sofar, result]);
    }
  }
  process.stderr.write('\n');
  return samples;
}

function summarisePytorch(
  samples: (WorkerResult | PytorchResult)[] | string | undefined,
): PytorchResult | string {
  if (samples === undefined) return 'not run';
  if (typeof samples === 'string') return samples;
  const list = samples as PytorchResult[];
  return {
    imagesPerSec: median(list.map((s) => s.imagesPerSec)),
    imagesPerCpuSec: median(list.map((s) => s.imagesPerCpuSec)),
    peakMemoryMB: Math.max(...list.map((s) => s.peakMemoryMB)),
    threads: list[0]?.threads ?? 0,
  };
}

function summariseWorker(
  samples: (WorkerResult | PytorchResult)[] | string | undefined,
): WorkerResult | string {
  if (samples === undefined) return 'not run';
  if (typeof samples === 'string') return samples;
  const list = samples as WorkerResult[];
  const first = list[0];
  if (first === undefined) return 'no samples';
  return {
    ...first,
    imagesPerSec: median(list.map((s) => s.imagesPerSec)),
    imagesPerCpuSec: median(list.map((s) => s.imagesPerCpuSec)),
    peakMemoryMB: Math.max(...list.map((s) => s.peakMemoryMB)),
  };
}

async function printProfile(request: WorkerRequest): Promise<void> {
  const result = await runChild(request);
  if (typeof result === 'string' || result.kernelProfile === undefined) return;
  process.stderr.write(
    `\nper-kernel time, ${request.model} on ${result.device}, batch ${request.batch}, one step:\n${result.kernelProfile}\n`,
  );
}

function row(
  model: BenchModel,
  backend: string,
  batch: number,
  result: WorkerResult | undefined,
  torch: PytorchResult | string,
  torchCl: PytorchResult | string,
  note: string | undefined,
  runs?: number,
): BenchRow {
  const pytorch = typeof torch === 'string' ? undefined : torch;
  const ratio =
    result !== undefined && pytorch !== undefined ? result.imagesPerSec / pytorch.imagesPerSec : null;
  const notes = [note, typeof torch === 'string' ? `pytorch: ${torch}` : undefined].filter(
    (n) => n !== undefined,
  );
  return {
    model,
    backend: result?.backend ?? backend,
    batch,
    imagesPerSec: result?.imagesPerSec ?? null,
    peakMemoryMB: result?.peakMemoryMB ?? null,
    pytorchImagesPerSec: pytorch?.imagesPerSec ?? null,
    pytorchPeakMemoryMB: pytorch?.peakMemoryMB ?? null,
    ratio,
    ...(model === 'mlp'
      ? {}
      : {
          pytorchChannelsLastImagesPerSec: typeof torchCl === 'string' ? null : torchCl.imagesPerSec,
          pytorchChannelsLastPeakMemoryMB: typeof torchCl === 'string' ? null : torchCl.peakMemoryMB,
        }),
    ...(result === undefined ? {} : { imagesPerCpuSec: result.imagesPerCpuSec, device: result.device }),
    ...(pytorch === undefined ? {} : { pytorchImagesPerCpuSec: pytorch.imagesPerCpuSec }),
    ...(result?.threads === undefined ? {} : { threads: result.threads }),
    ...(runs === undefined ? {} : { runs }),
    measuredAt: new Date().toISOString(),
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

/** One worker process per row; resolves to its result or to the reason it failed. */
function runChild(request: WorkerRequest): Promise<WorkerResult | string> {
  const args = [...process.execArgv, join(here, 'run.ts'), '--worker', JSON.stringify(request)];
  return collect(process.execPath, args).then((out) =>
    out.code === 0
      ? (JSON.parse(lastLine(out.stdout)) as WorkerResult)
      : `not run: ${lastLine(out.stderr) || `exit ${out.code}`}`,
  );
}

async function runPytorch(
  python: string,
  model: BenchModel,
  batch: number,
  steps: number,
  threads: number,
  layout: Layout,
): Promise<PytorchResult | string> {
  if (!existsSync(python)) return `no python at ${python}`;
  const out = await collect(python, [
    join(here, 'pytorch_bench.py'),
    model,
    String(batch),
    '1',
    String(steps),
    String(threads),
    layout,
  ]);
  if (out.code !== 0) return `unavailable (${lastLine(out.stderr) || `exit ${out.code}`})`;
  return JSON.parse(lastLine(out.stdout)) as PytorchResult;
}

function collect(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error) => resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1) ?? ''
  );
}

function formatTable(rows: readonly BenchRow[]): string {
  const fmt = (v: number | null | undefined, digits = 1) =>
    v === null || v === undefined ? '—' : v.toFixed(digits);
  const header = [
    'model',
    'backend',
    'batch',
    'img/s',
    'img/cpu-s',
    'peak MB',
    'torch img/s',
    'torch NHWC img/s',
    'torch img/cpu-s',
    'torch MB',
    'ratio',
    'note',
  ];
  const lines = rows.map((r) => [
    r.model,
    r.backend,
    String(r.batch),
    fmt(r.imagesPerSec),
    fmt(r.imagesPerCpuSec),
    fmt(r.peakMemoryMB, 0),
    fmt(r.pytorchImagesPerSec),
    fmt(r.pytorchChannelsLastImagesPerSec),
    fmt(r.pytorchImagesPerCpuSec),
    fmt(r.pytorchPeakMemoryMB, 0),
    fmt(r.ratio, 2),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
}

await main();
