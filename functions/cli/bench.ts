// `ldam bench`: run a benchmark grid through the API and print its table.
//   ldam bench run <benchmark.json | preset> [--follow] [--format md|csv|json|svg]
//   ldam bench status|results|cancel <id>      ldam bench presets
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { printable } from '../../trainer/spec/free-text.ts';
import { readJson } from '../../trainer/spec/strict-json.ts';
import type { BenchmarkResults } from '../benchmarks/aggregate.ts';
import { benchmarkPresetNames, isBenchmarkPresetName } from '../benchmarks/presets.ts';
import { renderLiveTable } from '../benchmarks/render/live.ts';
import type { BenchmarkView } from '../benchmarks/service.ts';
import { ApiCallError, type ApiClient, createApiClient, ok } from '../client/client.ts';
import { apiTarget, cliEnv } from './target.ts';

export interface BenchIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sleep: (ms: number) => Promise<void>;
}

const usage = `usage:
  ldam bench run <benchmark.json | preset> [--follow] [--format md|csv|json|svg] [--interval <s>]
  ldam bench status <id>
  ldam bench results <id> [--format md|csv|json|svg]
  ldam bench cancel <id>
  ldam bench presets
options: --url <API base URL> (${cliEnv.url}), --key <API key> (${cliEnv.key})
presets: ${benchmarkPresetNames.join(', ')}
`;

const formats = ['md', 'csv', 'json', 'svg'] as const;
type Format = (typeof formats)[number];

export async function main(args: string[]): Promise<number> {
  return runBench(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}

export async function runBench(args: string[], io: BenchIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(`ldam bench: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { command, target, values } = parsed;
  if (command === 'presets') {
    io.stdout.write(`${benchmarkPresetNames.join('\n')}\n`);
    return 0;
  }
  if (command === undefined || target === undefined || values.help === true) {
    io.stdout.write(usage);
    return values.help === true ? 0 : 2;
  }
  const format = (values.format ?? 'md') as Format;
  if (!(formats as readonly string[]).includes(format)) {
    io.stderr.write(`ldam bench: --format must be one of ${formats.join(', ')}\n`);
    return 2;
  }
  const client = new BenchmarkCalls(createApiClient(apiTarget({ url: values.url, key: values.key }, io.env)));
  try {
    switch (command) {
      case 'run': {
        const view = await client.create(await readSpec(target));
        io.stderr.write(`benchmark ${view.id}: ${view.progress.total} cells\n`);
        if (values.follow !== true) {
          io.stdout.write(`${view.id}\n`);
          return 0;
        }
        const intervalMs = Math.max(0.05, Number(values.interval ?? '5')) * 1000;
        const final = await follow(client, view.id, io, intervalMs);
        await printResults(client, view.id, format, io);
        return final.progress.status === 'completed' && final.progress.failed === 0 ? 0 : 1;
      }
      case 'status':
        io.stdout.write(printable(renderLiveTable(await client.status(target)), { keepNewlines: true }));
        return 0;
      case 'results':
        await printResults(client, target, format, io);
        return 0;
      case 'cancel':
        io.stdout.write(printable(renderLiveTable(await client.cancel(target)), { keepNewlines: true }));
        return 0;
      default:
        io.stderr.write(`ldam bench: unknown subcommand '${command}'\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ApiCallError) {
      // The message carries every issue, one per line (cell, field path, rule).
      io.stderr.write(`ldam bench: ${printable(error.message)}\n`);
      return 1;
    }
    if (error instanceof InputError) {
      io.stderr.write(`ldam bench: ${printable(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      follow: { type: 'boolean', short: 'f' },
      format: { type: 'string' },
      interval: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, target] = positionals;
  return { command, target, values };
}

class InputError extends Error {}

/** A benchmark file, or a preset by name (`fmnist-lt`) when no such file exists. */
async function readSpec(target: string): Promise<unknown> {
  if (!existsSync(target) && isBenchmarkPresetName(target)) return { preset: target };
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${target}: ${(error as Error).message}`);
  }
  // The API's own strict reader: JSON.parse would keep a key named twice silently, last one winning.
  const read = readJson(text);
  if (read.ok) return read.value;
  const { path, rule } = read.issue;
  throw new InputError(`${target} is not a benchmark file: ${path === '' ? '' : `${path}: `}${rule}`);
}

/** Polls until no cell is pending or running, redrawing the live table when it changes. */
async function follow(
  client: BenchmarkCalls,
  id: string,
  io: BenchIo,
  intervalMs: number,
): Promise<BenchmarkView> {
  let previous = '';
  let results: BenchmarkResults | undefined;
  let succeeded = -1;
  for (;;) {
    const view = await retried(() => client.status(id), io, intervalMs);
    if (view.progress.succeeded !== succeeded) {
      succeeded = view.progress.succeeded;
      results = succeeded > 0 ? await retried(() => client.results(id), io, intervalMs) : undefined;
    }
    const table = printable(renderLiveTable(view, results), { keepNewlines: true });
    if (table !== previous) {
      // On a terminal, redraw in place; in a log, append each new state.
      if (io.stdout.isTTY === true && previous !== '')
        io.stdout.write(`\x1b[${previous.split('\n').length - 1}A\x1b[J`);
      io.stdout.write(table);
      previous = table;
    }
    if (view.progress.status !== 'running') return view;
    await io.sleep(intervalMs);
  }
}

/** Consecutive failed polls a follow survives (a server starved on a loaded machine, a dropped connection). */
const maxPollFailures = 10;

/**
 * One poll of a long follow: a network failure or timeout is retried after the interval, so an
 * hours-long benchmark is not abandoned over one lost request or a 5xx; a 4xx refusal is final.
 */
async function retried<T>(call: () => Promise<T>, io: BenchIo, intervalMs: number): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await call();
    } catch (error) {
      const refused = error instanceof ApiCallError && error.status > 0 && error.status < 500;
      if (refused || failures >= maxPollFailures) throw error;
      io.stderr.write(
        `ldam bench: poll failed (${String(error)}); retry ${failures} of ${maxPollFailures - 1}\n`,
      );
      await io.sleep(intervalMs);
    }
  }
}

async function printResults(client: BenchmarkCalls, id: string, format: Format, io: BenchIo): Promise<void> {
  if (format === 'json') io.stdout.write(`${JSON.stringify(await client.results(id), null, 2)}\n`);
  else io.stdout.write(await client.resultsText(id, format));
}

/** The benchmark routes this command calls, through the generated client. */
class BenchmarkCalls {
  constructor(private readonly api: ApiClient) {}

  create(spec: unknown): Promise<BenchmarkView> {
    // Sent as read: the server validates the spec and names every failing field.
    return ok(this.api.POST('/v1/benchmarks', { body: spec as never }));
  }

  status(id: string): Promise<BenchmarkView> {
    return ok(this.api.GET('/v1/benchmarks/{id}', { params: { path: { id } } }));
  }

  cancel(id: string): Promise<BenchmarkView> {
    return ok(this.api.POST('/v1/benchmarks/{id}/cancel', { params: { path: { id } } }));
  }

  async results(id: string): Promise<BenchmarkResults> {
    return ok(
      this.api.GET('/v1/benchmarks/{id}/results', { params: { path: { id }, query: { format: 'json' } } }),
    ) as Promise<BenchmarkResults>;
  }

  resultsText(id: string, format: Exclude<Format, 'json'>): Promise<string> {
    return ok(
      this.api.GET('/v1/benchmarks/{id}/results', {
        params: { path: { id }, query: { format } },
        parseAs: 'text',
      }),
    );
  }
}
