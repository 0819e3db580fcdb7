// Local runner: each job is a child process `node bin/ldam.mjs train --job <id>`, at most
// `maxConcurrent` at once, the rest started in submission order as slots free up.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { trainArgs } from '../../trainer/process/contract.ts';
import type {
  ExitListener,
  StartedTask,
  StartListener,
  TaskRef,
  TaskRequest,
  TaskRunner,
  TaskStatus,
} from './task-runner.ts';

/** Where a task's stdout and stderr go (the job's logs in the store, via the LogShipper); closed after exit. */
export interface TaskLogSink {
  attach(stream: 'stdout' | 'stderr', readable: Readable): Promise<void>;
  close(): Promise<void>;
}

export interface LocalRunnerOptions {
  /** Program and leading arguments; `train --job <id>` is appended. */
  readonly command: readonly string[];
  readonly cwd: string;
  /** Environment of the children (the store's S3_* variables among it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly maxConcurrent: number;
  /** Between SIGINT and SIGKILL on cancel, and SIGTERM and SIGKILL on close. */
  readonly graceMs: number;
  readonly logSink?: (task: TaskRef) => Promise<TaskLogSink>;
}

interface Entry {
  readonly task: TaskRequest;
  state: 'pending' | 'running' | 'exited';
  child?: ChildProcess;
  exit?: { code: number | null; signal: string | null };
  killTimer?: NodeJS.Timeout;
  /** Resolves once the exit was reported to the listeners. */
  finished?: Promise<void>;
  markFinished?: () => void;
}

/** The external id of a local task: host and pid, so a later server can check it is gone. */
export const localTaskId = (pid: number): string => `${hostname()}:${pid}`;

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone between the check and the kill: what we wanted.
  }
}

/** Whether `pid` is alive and is the trainer of `jobId` (its command line says so: pids are reused). */
async function isTrainerOf(pid: number, jobId: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return cmdline?.split('\0').join(' ').includes(`--job ${jobId}`) === true;
}

export class LocalRunner implements TaskRunner {
  readonly kind = 'local';
  readonly device = 'cpu';
  readonly #options: LocalRunnerOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #queue: Entry[] = [];
  readonly #listeners: ExitListener[] = [];
  readonly #startListeners: StartListener[] = [];
  #closed = false;

  constructor(options: LocalRunnerOptions) {
    this.#options = options;
  }

  async start(task: TaskRequest): Promise<StartedTask> {
    if (this.#closed) throw new Error('the local runner is shutting down');
    const current = this.#entries.get(task.jobId);
    if (current !== undefined && current.state !== 'exited')
      throw new Error(`job ${task.jobId} already has a task (attempt ${current.task.attempt})`);
    const entry: Entry = { task, state: 'pending' };
    this.#entries.set(task.jobId, entry);
    this.#queue.push(entry);
    this.#pump();
    return {};
  }

  async status(ref: TaskRef): Promise<TaskStatus> {
    const entry = this.#entries.get(ref.jobId);
    if (entry === undefined || entry.task.attempt !== ref.attempt) return { state: 'unknown' };
    if (entry.state === 'exited')
      return { state: 'exited', code: entry.exit?.code ?? null, signal: entry.exit?.signal ?? null };
    return { state: entry.state };
  }

  async cancel(ref: TaskRef): Promise<void> {
    const entry = this.#entries.get(ref.jobId);
    if (entry === undefined || entry.task.attempt !== ref.attempt) return;
    if (entry.state === 'pending') {
      this.#queue.splice(this.#queue.indexOf(entry), 1);
      this.#finish(entry, { code: null, signal: null });
      return;
    }
    // SIGINT: the trainer stops without a checkpoint (exit 130); SIGKILL if it does not in time.
    if (entry.state === 'running') this.#signal(entry, 'SIGINT');
  }

  onExit(listener: ExitListener): void {
    this.#listeners.push(listener);
  }

  onStart(listener: StartListener): void {
    this.#startListeners.push(listener);
  }

  /**
   * Interrupts running children with SIGTERM (they checkpoint and exit 75) and waits until each
   * exit was reported to the listeners (and its logs shipped), so the caller can record them all
   * before the store closes.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#queue.length = 0;
    const running = [...this.#entries.values()].filter((e) => e.state === 'running' && e.child !== undefined);
    for (const entry of running) this.#signal(entry, 'SIGTERM');
    await Promise.all(running.map((e) => e.finished ?? once(e.child as ChildProcess, 'close')));
  }

  async ensureGone(ref: TaskRef): Promise<void> {
    if (this.#entries.get(ref.jobId)?.state === 'running') return;
    const [host, pidText] = (ref.externalId ?? '').split(':');
    const pid = Number(pidText);
    // Another host's process cannot be checked from here; the store's per-start credentials fence it.
    if (host !== hostname() || !Number.isInteger(pid) || pid <= 1) return;
    for (let waited = 0; (await isTrainerOf(pid, ref.jobId)) && waited < 10_000; waited += 100) {
      if (waited === 0) killQuietly(pid);
      await sleep(100);
    }
  }

  /** Pids of running children (tests check that cancelled processes are gone). */
  pidOf(jobId: string): number | undefined {
    const entry = this.#entries.get(jobId);
    return entry?.state === 'running' ? entry.child?.pid : undefined;
  }

  #signal(entry: Entry, signal: NodeJS.Signals): void {
    entry.child?.kill(signal);
    if (entry.killTimer === undefined) {
      entry.killTimer = setTimeout(() => entry.child?.kill('SIGKILL'), this.#options.graceMs);
      entry.killTimer.unref();
    }
  }

  #pump(): void {
    const running = () => [...this.#entries.values()].filter((e) => e.state === 'running').length;
    while (!this.#closed && this.#queue.length > 0 && running() < this.#options.maxConcurrent) {
      const entry = this.#queue.shift() as Entry;
      this.#spawn(entry);
    }
  }

  #spawn(entry: Entry): void {
    const [program, ...leading] = this.#options.command;
    const ref = { jobId: entry.task.jobId, attempt: entry.task.attempt };
    const child = spawn(program ?? process.execPath, [...leading, ...trainArgs(entry.task.jobId)], {
      cwd: this.#options.cwd,
      env: { ...this.#options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    entry.state = 'running';
    entry.child = child;
    entry.finished = new Promise((resolve) => {
      entry.markFinished = resolve;
    });
    const started = child.pid === undefined ? {} : { externalId: localTaskId(child.pid) };
    for (const listener of this.#startListeners) listener(ref, started);
    // Output waits in the pipes until the sink is open; without a sink it is drained and dropped.
    const shipped = (async () => {
      const sink = await this.#options.logSink?.(ref).catch(() => undefined);
      if (sink === undefined) {
        child.stdout?.resume();
        child.stderr?.resume();
        return;
      }
      await Promise.all([
        sink.attach('stdout', child.stdout as Readable),
        sink.attach('stderr', child.stderr as Readable),
      ]);
      await sink.close();
    })().catch(() => undefined);
    let settled = false;
    const settle = (exit: { code: number | null; signal: string | null }) => {
      if (settled) return;
      settled = true;
      void shipped.then(() => {
        this.#finish(entry, exit);
        this.#pump();
      });
    };
    child.on('error', () => settle({ code: null, signal: null }));
    child.on('close', (code, signal) => settle({ code, signal }));
  }

  #finish(entry: Entry, exit: { code: number | null; signal: string | null }): void {
    if (entry.killTimer !== undefined) clearTimeout(entry.killTimer);
    entry.state = 'exited';
    entry.exit = exit;
    const ref = { jobId: entry.task.jobId, attempt: entry.task.attempt };
    for (const listener of this.#listeners) listener(ref, { state: 'exited', ...exit });
    entry.markFinished?.();
  }
}
