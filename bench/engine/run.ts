import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchModel, benchModels, runWorker, type WorkerRequest, type WorkerResult } from './worker.ts';

// `npm run bench:engine [-- --json FILE] [--models mlp,resnet8] [--backends wasm,cpu] [--runs 3]
// [--steps 1] [--profile] [--budget-mb MB]`: training-step throughput and peak memory of the
// product's models on every tfjs backend that loads, next to the same step in PyTorch
// (LDAM_PYTHON, default /usr/bin/python3). --budget-mb splits batches into micro-batches as the
// training loop does under a memory budget; --profile prints per-kernel CPU time on wasm.

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
  readonly pytorchImagesPerSec: number | null;
  readonly pytorchPeakMemoryMB: number | null;
  readonly ratio: number | null;
  readonly imagesPerCpuSec?: number;
  readonly pytorchImagesPerCpuSec?: number;
  readonly device?: string;
  readonly note?: string;
}

interface PytorchResult {
  readonly imagesPerSec: number;
  readonly imagesPerCpuSec: number;
  readonly peakMemoryMB: number;
  readonly threads: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'string' },
      models: { type: 'string', default: Object.keys(benchModels).join(',') },
      backends: { type: 'string', default: 'tensorflow-gpu,tensorflow,wasm,cpu' },
      runs: { type: 'string', default: '3' },
      steps: { type: 'string', default: '1' },
      profile: { type: 'boolean', default: false },
      'budget-mb': { type: 'string' },
      worker: { type: 'string' },
    },
  });
  if (values.worker !== undefined) {
    try {
      process.stdout.write(
        `${JSON.stringify(await runWorker(JSON.parse(values.worker) as WorkerRequest))}\n`,
      );
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
    return;
  }
  const runs = Math.max(3, Number(values.runs));
  const stepsPerRun = Math.max(1, Number(values.steps));
  const models = values.models.split(',') as BenchModel[];
  const python = process.env.LDAM_PYTHON ?? '/usr/bin/python3';
  const rows: BenchRow[] = [];
  for (const model of models) {
    if (!(model in benchModels)) throw new Error(`unknown model '${model}'`);
    const torch = await runPytorch(python, model, defaultBatch, runs, stepsPerRun);
    for (const backend of values.backends.split(',')) {
      const batch = backend === 'cpu' ? cpuBatches[model] : defaultBatch;
      if (batch === undefined) {
        rows.push(
          row(model, backend, defaultBatch, undefined, torch, 'skipped: minutes per step on pure-JS cpu'),
        );
        continue;
      }
      const request: WorkerRequest = {
        model,
        backend,
        batch,
        runs,
        stepsPerRun,
        profile: values.profile && backend === 'wasm',
        ...(values['budget-mb'] === undefined ? {} : { budgetBytes: Number(values['budget-mb']) * 2 ** 20 }),
      };
      const result = await runChild(request);
      if (typeof result === 'string') {
        rows.push(row(model, backend, batch, undefined, torch, result));
        continue;
      }
      if (result.kernelProfile !== undefined) {
        process.stderr.write(
          `\nper-kernel CPU time, ${model} on ${result.device}, batch ${batch}, one step:\n${result.kernelProfile}\n`,
        );
      }
      const small =
        batch === defaultBatch ? undefined : `batch ${batch} (pure-JS cpu is too slow for ${defaultBatch})`;
      const split =
        result.microBatches > 1 ? `${result.microBatches} micro-batches (--budget-mb)` : undefined;
      const note = [small, split].filter((n) => n !== undefined).join('; ') || undefined;
      rows.push(row(model, backend, batch, result, torch, note));
    }
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(rows, null, 2)}\n`);
}

function row(
  model: BenchModel,
  backend: string,
  batch: number,
  result: WorkerResult | undefined,
  torch: PytorchResult | string,
  note: string | undefined,
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
    ...(result === undefined ? {} : { imagesPerCpuSec: result.imagesPerCpuSec, device: result.device }),
    ...(pytorch === undefined ? {} : { pytorchImagesPerCpuSec: pytorch.imagesPerCpuSec }),
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
  runs: number,
  steps: number,
): Promise<PytorchResult | string> {
  if (!existsSync(python)) return `no python at ${python}`;
  const out = await collect(python, [
    join(here, 'pytorch_bench.py'),
    model,
    String(batch),
    String(runs),
    String(steps),
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
