import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/ldam.mjs <args>` as a real child process; `onLine` sees each stdout line as it comes. */
export function runLdam(
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    onLine?: (line: string, child: ReturnType<typeof spawn>) => void;
  } = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ldam.mjs', ...args], {
      cwd: repoRoot,
      env: { ...process.env, LDAM_BACKEND: 'wasm', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        options.onLine?.(pending.slice(0, newline), child);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The JSON lines of a non-TTY run. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The trainer's event log of a job in a local --out directory, in order. */
export async function trainerEvents(out: string, jobId: string): Promise<Array<Record<string, unknown>>> {
  const eventsDir = join(out, 'runs', jobId, 'events', 'trainer');
  const lines: Array<Record<string, unknown>> = [];
  for (const file of (await readdir(eventsDir)).sort())
    for (const line of (await readFile(join(eventsDir, file), 'utf8')).split('\n'))
      if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  return lines;
}

/** A small synthetic run: 4 long-tailed classes of 8-dimensional blobs, an MLP. */
export function syntheticSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    dataset: {
      name: 'synthetic',
      numClasses: 4,
      maxPerClass: 120,
      imbalance: { type: 'exp', ratio: 10 },
      synthetic: { shape: [8], separation: 3, testPerClass: 40 },
    },
    model: { arch: 'mlp', hidden: [16] },
    loss: { type: 'ldam' },
    rebalance: { rule: 'drw', afterEpoch: 2 },
    optimizer: { lr: 0.05, batchSize: 16 },
    schedule: { epochs: 4 },
    checkpoint: { everyEpochs: 2, keepLast: 2 },
    ...overrides,
  };
}
