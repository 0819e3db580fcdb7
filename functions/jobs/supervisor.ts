// The supervisor keeps the event log and the runner in step: it launches attempts, records
// `starting` and every task's end (via lifecycle.ts's exitOutcome), enforces the spec's queue and
// run timeouts, re-launches preempted attempts (exit 75), and resumes tasks the runner lost (after
// a server crash) within the spec's retry budget, once their old process is surely gone.
// `reconcile` is safe to call from anywhere (a timer, a read); one job is reconciled at a time.
import { latestPointerKey } from '../../trainer/checkpoint/index.ts';
import { appendEvents, type NewEvent, readEvents } from '../../trainer/events/log.ts';
import { type JobState, reduceJobState } from '../../trainer/events/reduce.ts';
import type { JobEvent } from '../../trainer/events/types.ts';
import { KeyedMutex } from '../../trainer/store/keyed-mutex.ts';
import type { Store } from '../../trainer/store/store.ts';
import { getIfPresent } from '../../trainer/store/write-once.ts';
import { NotFound, StateConflict } from '../errors.ts';
import type { Logger } from '../http/logger.ts';
import type { StartedTask, TaskRef, TaskRunner, TaskStatus } from '../runners/task-runner.ts';
import { exitOutcome, type TaskExit, type TimeoutLimits, timeoutDue } from './lifecycle.ts';
import type { JobRecords } from './records.ts';
import { lostTaskOutcome } from './recovery.ts';

export interface SupervisorOptions {
  readonly store: Store;
  readonly records: JobRecords;
  readonly runner: TaskRunner;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** Sees every job state the supervisor reduces (operators' metrics). */
  readonly observe?: (jobId: string, state: JobState) => void;
}

export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #mutex = new KeyedMutex();
  /** Jobs this process watches on its timer (submitted here, or found unfinished at start-up). */
  readonly #active = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  /** Set by `drain`: exits are still recorded, but nothing new is handed to the runner. */
  #draining = false;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    options.runner.onExit?.((ref) => this.#nudge(ref.jobId));
    options.runner.onStart?.((ref, started) => this.#started(ref, started));
  }

  /** The job's events and state as stored now. */
  async load(jobId: string): Promise<{ events: JobEvent[]; state: JobState }> {
    const { events } = await readEvents(this.#options.store, jobId, {});
    const state = reduceJobState(events);
    this.#options.observe?.(jobId, state);
    return { events, state };
  }

  /** Records the first attempt as queued and hands it to the runner. */
  async submit(jobId: string): Promise<JobState> {
    return this.#mutex.run(jobId, async () => {
      await this.#append(jobId, 1, [{ kind: 'status', status: 'queued', attempt: 1 }]);
      this.#active.add(jobId);
      await this.#launch(jobId, 1);
      return (await this.load(jobId)).state;
    });
  }

  /** Brings the log up to date with the runner and the clock; returns the resulting state. */
  reconcile(jobId: string): Promise<JobState> {
    return this.#mutex.run(jobId, () => this.#reconcile(jobId));
  }

  /** Records a cancel intent, then stops the task; the task's exit then reads as `cancelled`. */
  async cancel(jobId: string): Promise<JobState> {
    return this.#mutex.run(jobId, async () => {
      const state = await this.#reconcile(jobId);
      if (state.terminal)
        throw new StateConflict(`job ${jobId} is already ${state.status}; only active jobs can be cancelled`);
      const attempt = state.attempt;
      await this.#append(jobId, attempt, [{ kind: 'intent', intent: 'cancel', attempt }]);
      if (state.status === 'queued') {
        // Nothing ran yet: cancelled now, and the runner drops it from its queue.
        await this.#append(jobId, attempt, [
          { kind: 'status', status: 'cancelled', attempt, reason: 'cancelled on request before it started' },
        ]);
      }
      await this.#options.runner.cancel(this.#ref(jobId, state), 'cancelled on request');
      this.#active.add(jobId);
      return this.#reconcile(jobId);
    });
  }

  /** Runs a failed, cancelled or timed-out job again as attempt n+1 (the trainer resumes from its checkpoint). */
  async retry(jobId: string): Promise<JobState> {
    return this.#mutex.run(jobId, async () => {
      if ((await this.#options.records.get(jobId)) === undefined) throw new NotFound(`no job '${jobId}'`);
      const state = await this.#reconcile(jobId);
      if (!state.terminal || state.status === 'succeeded')
        throw new StateConflict(
          `job ${jobId} is ${state.status}; only failed, cancelled or timed-out jobs can be retried`,
        );
      const attempt = state.attempt + 1;
      await this.#append(jobId, attempt, [
        { kind: 'intent', intent: 'retry', attempt: state.attempt },
        { kind: 'status', status: 'queued', attempt, reason: `retry requested after ${state.status}` },
      ]);
      this.#active.add(jobId);
      await this.#launch(jobId, attempt);
      return (await this.load(jobId)).state;
    });
  }

  /**
   * Deletes a finished job under its lock, so a retry cannot slip in between the check and the
   * removal (a retry that comes second finds no job).
   */
  async remove(jobId: string, remove: () => Promise<void>): Promise<void> {
    return this.#mutex.run(jobId, async () => {
      const state = await this.#reconcile(jobId);
      if (!state.terminal)
        throw new StateConflict(`job ${jobId} is ${state.status}; cancel it before deleting it`);
      await remove();
      this.#active.delete(jobId);
    });
  }

  /** Starts the watch timer, after adopting every unfinished job in the store. */
  async start(pollMs: number): Promise<void> {
    for (const id of await this.#options.records.allIds()) {
      const { state } = await this.load(id);
      if (!state.terminal && state.attempt > 0) this.#active.add(id);
    }
    await this.#tick();
    this.#timer = setInterval(() => void this.#tick(), pollMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Shutdown, before the runner and the store close: stop the timer and launch nothing more (a
   * preempted attempt stays queued for the next start). Call `settle` once the runner has closed.
   */
  drain(): void {
    this.stop();
    this.#draining = true;
  }

  /** Waits for every watched job's pending reconciliation (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.#active].map((id) => this.reconcile(id).catch(() => undefined)));
  }

  async #tick(): Promise<void> {
    await Promise.all(
      [...this.#active].map(async (id) => {
        try {
          const state = await this.reconcile(id);
          if (state.terminal) this.#active.delete(id);
        } catch (error) {
          this.#options.logger.error('reconcile failed', { jobId: id, error: String(error) });
        }
      }),
    );
  }

  #nudge(jobId: string): void {
    this.reconcile(jobId).catch((error: unknown) =>
      this.#options.logger.error('reconcile failed', { jobId, error: String(error) }),
    );
  }

  /** Records where a task runs once the runner knows (a local pid), so a later start can check it. */
  #started(ref: TaskRef, started: StartedTask | undefined): void {
    const externalId = started?.externalId;
    const note = async (): Promise<void> => {
      if (externalId === undefined) return;
      const task = { runner: this.#options.runner.kind, externalId };
      await this.#append(ref.jobId, ref.attempt, [
        { kind: 'note', attempt: ref.attempt, message: 'task started', data: { task } },
      ]);
    };
    this.#mutex
      .run(ref.jobId, async () => {
        await note();
        return this.#reconcile(ref.jobId);
      })
      .catch((error: unknown) =>
        this.#options.logger.error('reconcile failed', { jobId: ref.jobId, error: String(error) }),
      );
  }

  #ref(jobId: string, state: JobState): TaskRef {
    const externalId = state.task?.externalId;
    return { jobId, attempt: state.attempt, ...(externalId === undefined ? {} : { externalId }) };
  }

  async #append(jobId: string, attempt: number, events: NewEvent[]): Promise<void> {
    const time = this.#options.clock().toISOString();
    await appendEvents(
      this.#options.store,
      jobId,
      'api',
      events.map((e) => ({ time, ...e })),
      { attempt },
    );
  }

  async #launch(jobId: string, attempt: number): Promise<void> {
    if (this.#draining) return;
    const { runner, records } = this.#options;
    const spec = await records.spec(jobId);
    const started = await runner.start({ jobId, attempt, spec });
    if (started.externalId !== undefined) {
      const task = { runner: runner.kind, externalId: started.externalId };
      await this.#append(jobId, attempt, [
        { kind: 'note', attempt, message: 'task submitted', data: { task } },
      ]);
    }
    const status = await runner.status({ jobId, attempt, ...started });
    if (status.state === 'starting' || status.state === 'running')
      await this.#append(jobId, attempt, [{ kind: 'status', status: 'starting', attempt }]);
  }

  async #reconcile(jobId: string): Promise<JobState> {
    const { state } = await this.load(jobId);
    if (state.terminal || state.attempt === 0) return state;
    const { runner, records, clock } = this.#options;
    const spec = await records.spec(jobId);
    const timedOut = timeoutDue(state, attemptLimits(spec.resources, runner), clock());
    if (timedOut !== undefined) {
      await this.#append(jobId, state.attempt, [timedOut]);
      await runner.cancel(this.#ref(jobId, state), timedOut.reason ?? 'timed out');
      return (await this.load(jobId)).state;
    }
    const status = await runner.status(this.#ref(jobId, state));
    if (status.state === 'pending') return state;
    if (status.state === 'starting' || status.state === 'running') {
      if (state.status !== 'queued') return state;
      await this.#append(jobId, state.attempt, [
        { kind: 'status', status: 'starting', attempt: state.attempt },
      ]);
      return (await this.load(jobId)).state;
    }
    if (status.state === 'unknown' && state.status === 'queued' && state.task?.externalId === undefined) {
      // Queued but unknown to the runner (e.g. the server restarted): hand it over again.
      await this.#launch(jobId, state.attempt);
      return (await this.load(jobId)).state;
    }
    // A task the runner has no record of may have outlived a killed server: resume, don't fail.
    const outcome =
      status.state === 'unknown'
        ? await this.#lostOutcome(jobId, state, spec.resources.maxAttempts, status.detail)
        : exitOutcome(state, taskExitOf(status));
    if (outcome === undefined) return state;
    await this.#append(jobId, state.attempt, [outcome]);
    this.#options.logger.info('task ended', { jobId, attempt: state.attempt, status: outcome.status });
    if (outcome.status === 'queued') await this.#launch(jobId, outcome.attempt);
    return (await this.load(jobId)).state;
  }

  /** A lost task: make sure its process is gone (one writer per run), then resume or fail it. */
  async #lostOutcome(jobId: string, state: JobState, maxAttempts: number, detail: string | undefined) {
    await this.#options.runner.ensureGone?.(this.#ref(jobId, state));
    const pointer = await getIfPresent(this.#options.store, latestPointerKey(jobId));
    const epoch =
      pointer === undefined
        ? undefined
        : (JSON.parse(Buffer.from(pointer).toString('utf8')) as { epoch?: unknown }).epoch;
    return lostTaskOutcome(state, {
      maxAttempts,
      checkpointEpoch: typeof epoch === 'number' ? epoch : undefined,
      ...(detail === undefined ? {} : { detail }),
    });
  }
}

/** One run limit: the spec's, or the runner's own attempt limit when that is smaller (AWS Batch). */
export function attemptLimits(
  limits: TimeoutLimits,
  runner: Pick<TaskRunner, 'maxAttemptMinutes'>,
): TimeoutLimits {
  const { maxAttemptMinutes } = runner;
  if (maxAttemptMinutes === undefined || maxAttemptMinutes >= limits.timeoutMinutes) return limits;
  return { queueTimeoutMinutes: limits.queueTimeoutMinutes, timeoutMinutes: maxAttemptMinutes };
}

function taskExitOf(status: Exclude<TaskStatus, { state: 'pending' | 'starting' | 'running' }>): TaskExit {
  switch (status.state) {
    case 'exited':
      return { kind: 'exited', code: status.code, signal: status.signal };
    case 'timed_out':
      return { kind: 'timed-out', detail: status.detail };
    case 'reclaimed':
      return { kind: 'reclaimed', detail: status.detail };
    case 'unknown':
      return { kind: 'lost', ...(status.detail === undefined ? {} : { detail: status.detail }) };
  }
}
