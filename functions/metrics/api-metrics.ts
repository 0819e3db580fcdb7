// Operators' metrics in Prometheus' text format (prom-client): jobs by status, queue wait and run
// time, trainer exits by code, store retries. They describe what this process has seen: every job
// state it reduced (the supervisor reports each one), so the Node server, which watches every
// job, covers them all, while a Lambda instance covers the jobs it was asked about (README).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobState } from '../../trainer/events/reduce.ts';
import { storeRetryCount } from '../../trainer/store/retry.ts';

// Seconds: from a quick local job to a multi-day GPU run.
const waitBuckets = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];
const runBuckets = [10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600];
const terminal = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);
const statuses = ['queued', 'starting', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'];

const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

export class ApiMetrics {
  readonly registry = new Registry();
  readonly #status = new Map<string, string>();
  readonly #seen = new Map<string, number>();
  readonly #queueWait: Histogram;
  readonly #runTime: Histogram;
  readonly #exits: Counter<'code'>;

  constructor() {
    const registers = [this.registry];
    const status = this.#status;
    new Gauge({
      name: 'ldam_jobs',
      help: 'Jobs by status, as this process last saw them',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        for (const s of statuses) this.set({ status: s }, 0);
        for (const s of status.values()) this.inc({ status: s });
      },
    });
    this.#queueWait = new Histogram({
      name: 'ldam_job_queue_wait_seconds',
      help: 'From an attempt queued to the runner starting its task',
      buckets: waitBuckets,
      registers,
    });
    this.#runTime = new Histogram({
      name: 'ldam_job_run_seconds',
      help: 'From the task starting to the job ending (succeeded, failed, cancelled, timed out)',
      buckets: runBuckets,
      registers,
    });
    this.#exits = new Counter({
      name: 'ldam_trainer_exits_total',
      help: 'Trainer process exits by exit code (README: the trainer process)',
      labelNames: ['code'],
      registers,
    });
    new Counter({
      name: 'ldam_store_retries_total',
      help: 'Transient store failures this process retried',
      registers,
      collect() {
        this.reset();
        this.inc(storeRetryCount());
      },
    });
  }

  /** Takes a reduced job state; transitions are counted once each. */
  observe(jobId: string, state: JobState): void {
    if (state.attempt === 0) return;
    this.#status.set(jobId, state.status);
    const from = this.#seen.get(jobId) ?? 0;
    const transitions = state.transitions;
    for (let i = from; i < transitions.length; i++) {
      const t = transitions[i];
      if (t === undefined) continue;
      const earlier = transitions.slice(0, i).filter((e) => e.attempt === t.attempt);
      // The wait ends when the runner starts the task; the run lasts from then to the end.
      const queued = earlier.find((e) => e.status === 'queued');
      const started = earlier.find((e) => e.status === 'starting' || e.status === 'running');
      const starts = (t.status === 'starting' || t.status === 'running') && started === undefined;
      if (starts && queued !== undefined) this.#queueWait.observe(seconds(queued.time, t.time));
      if (terminal.has(t.status) && started !== undefined)
        this.#runTime.observe(seconds(started.time, t.time));
      const code = this.#exitCode(t, i === transitions.length - 1 ? state : undefined);
      if (code !== undefined) this.#exits.inc({ code: String(code) });
    }
    this.#seen.set(jobId, transitions.length);
  }

  /** A terminal transition carries the state's exit code; a re-queue after an exit names it. */
  #exitCode(t: JobState['transitions'][number], last: JobState | undefined): number | undefined {
    if (terminal.has(t.status)) return last?.exitCode;
    const named = t.status === 'queued' ? /\(exit (\d+)\)/.exec(t.reason ?? '') : null;
    return named?.[1] === undefined ? undefined : Number(named[1]);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
