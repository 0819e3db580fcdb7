// The supervisor keeps the event log and the runner in step: it launches attempts, records
// `starting` and every task's end (via lifecycle.ts's exitOutcome), enforces the spec's queue and
// run timeouts, re-launches preempted attempts (exit 75), and resumes tasks the runner lost (after
// a server crash) within the spec's retry budget, once their old process is surely gone.
// `reconcile` is safe to call from anywhere (a timer, a read); one job is reconciled at a time.
// States come from each job's snapshot (trainer/events/snapshot.ts), never from replaying its log,
// and the supervisor acts on the runner's exit and start events; its timer only compares what the
// runner says with the state it last saw (watch.ts), so an idle queue costs no store calls, and a
// slow backstop re-reads every watched job for what other processes wrote.
import { appendEvents, type NewEvent } from '../../trainer/events/log.ts';
import { emptyJobState, type JobState } from '../../trainer/events/reduce.ts';
import {
  type JobSnapshot,
  readJobSnapshot,
  readSnapshot,
  refreshSnapshot,
} from '../../trainer/events/snapshot.ts';
import { KeyedMutex } from '../../trainer/store/keyed-mutex.ts';
import type { Store } from '../../trainer/store/store.ts';
import { NotFound, StateConflict } from '../errors.ts';
import type { Logger } from '../http/logger.ts';
import type { StartedTask, TaskRef, TaskRunner } from '../runners/task-runner.ts';
import { attemptLimits, exitOutcome, taskExitOf, timeoutDue } from './lifecycle.ts';
import type { JobRecords } from './records.ts';
import { latestCheckpointEpoch, lostTaskOutcome } from './recovery.ts';
import { needsReconcile, samePosition, WatchTimer, type WatchTimes } from './watch.ts';

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
  /** The last snapshot seen of each watched job (the timer compares the runner's word with it). */
  readonly #seen = new Map<string, JobSnapshot>();
  readonly #timer = new WatchTimer((backstop) => this.#turn(backstop));
  /** Set by `drain`: exits are still recorded, but nothing new is handed to the runner. */
  #draining = false;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    options.runner.onExit?.((ref) => this.#nudge(ref.jobId));
    options.runner.onStart?.((ref, started) => this.#started(ref, started));
  }

  /** The job's state as stored now: its snapshot, caught up to the log (a few store reads). */
  async load(jobId: string, options: { probeTerminal?: boolean } = {}): Promise<{ state: JobState }> {
    const snapshot = await readJobSnapshot(this.#options.store, jobId, options);
    return { state: this.#saw(jobId, snapshot) };
  }

  /**
   * The job's state as its last writer stored it, without catching up (one read): for list pages,
   * where a state behind by a writer that died mid-write is caught up by the next reader or writer.
   */
  async peek(jobId: string): Promise<JobState> {
    const { state } = await readSnapshot(this.#options.store, jobId);
    this.#options.observe?.(jobId, state);
    return state;
  }

  /** Records the first attempt as queued and hands it to the runner. */
  async submit(jobId: string): Promise<JobState> {
    return this.#mutex.run(jobId, async () => {
      this.#active.add(jobId);
      // A new job's log is empty: no listing to find where it ends.
      this.#seen.set(jobId, { position: { api: 0 }, state: emptyJobState });
      await this.#append(jobId, 1, [{ kind: 'status', status: 'queued', attempt: 1 }]);
      return this.#launch(jobId, 1);
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
      this.#active.add(jobId);
      await this.#append(jobId, attempt, [
        { kind: 'intent', intent: 'retry', attempt: state.attempt },
        { kind: 'status', status: 'queued', attempt, reason: `retry requested after ${state.status}` },
      ]);
      return this.#launch(jobId, attempt);
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
      this.#forget(jobId);
    });
  }

  /**
   * Starts the watch timer, after adopting every unfinished job in the store (one snapshot read per
   * job, terminal ones included: a retry cut short by a crash may have queued a finished job again).
   */
  async start(times: WatchTimes | number): Promise<void> {
    for (const id of await this.#options.records.allIds()) {
      const { state } = await this.load(id, { probeTerminal: true });
      if (!state.terminal && state.attempt > 0) this.#active.add(id);
      else this.#seen.delete(id);
    }
    await this.#turn(true);
    if (!this.#draining) this.#timer.start(times);
  }

  /**
   * Shutdown, before the runner and the store close: stop the timer and launch nothing more (a
   * preempted attempt stays queued for the next start), while exits are still recorded. Call
   * `settle` once the runner has closed. A stopped supervisor does not start again.
   */
  drain(): void {
    this.#draining = true;
    this.#timer.stop();
  }

  /** The same as `drain`: every stop is a shutdown, so a trainer's exit after it launches nothing. */
  stop(): void {
    this.drain();
  }

  /** Waits for every watched job's pending reconciliation (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.#active].map((id) => this.reconcile(id).catch(() => undefined)));
  }

  /**
   * One timer turn: each watched job whose runner status or deadline disagrees with the state last
   * seen is reconciled (all of them on a backstop turn); the others cost a runner status call only.
   */
  async #turn(backstop: boolean): Promise<void> {
    await Promise.all([...this.#active].map((id) => this.#watch(id, backstop)));
  }

  async #watch(jobId: string, backstop: boolean): Promise<void> {
    try {
      const seen = this.#seen.get(jobId);
      if (seen !== undefined) {
        const { runner, records, clock, store } = this.#options;
        const limits = attemptLimits((await records.spec(jobId)).resources, runner);
        const status = await runner.status(this.#ref(jobId, seen.state));
        if (!needsReconcile(seen.state, status, limits, clock())) {
          if (!backstop) return;
          // The backstop: one read of the snapshot shows whether another process wrote since.
          const stored = await readSnapshot(store, jobId);
          if (samePosition(stored.position, seen.position)) return;
        }
      }
      await this.reconcile(jobId);
    } catch (error) {
      this.#options.logger.error('reconcile failed', { jobId, error: String(error) });
    }
  }

  /** Remembers the snapshot of a watched job (and reports the state); a finished job is no longer watched. */
  #saw(jobId: string, snapshot: JobSnapshot): JobState {
    const { state } = snapshot;
    this.#options.observe?.(jobId, state);
    if (!this.#active.has(jobId)) return state;
    if (state.terminal) this.#forget(jobId);
    else this.#seen.set(jobId, snapshot);
    return state;
  }

  #forget(jobId: string): void {
    this.#active.delete(jobId);
    this.#seen.delete(jobId);
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

  /** Appends to the api writer's log, then brings the snapshot up to it; returns the job's state. */
  async #append(jobId: string, attempt: number, events: NewEvent[]): Promise<JobState> {
    const { store, clock } = this.#options;
    const time = clock().toISOString();
    const lastSeq = this.#seen.get(jobId)?.position.api;
    await appendEvents(
      store,
      jobId,
      'api',
      events.map((e) => ({ time, ...e })),
      { attempt, snapshot: false, ...(lastSeq === undefined ? {} : { lastSeq }) },
    );
    return this.#saw(jobId, await refreshSnapshot(store, jobId));
  }

  /**
   * Hands the queued attempt to the runner, unless the supervisor is draining: checked after the
   * last await before the start, so a drain that began meanwhile launches nothing (the attempt
   * stays queued for the next start).
   */
  async #launch(jobId: string, attempt: number): Promise<JobState> {
    const { runner, records } = this.#options;
    const spec = await records.spec(jobId);
    if (this.#draining) return this.#seen.get(jobId)?.state ?? (await this.load(jobId)).state;
    const started = await runner.start({ jobId, attempt, spec });
    let state: JobState | undefined;
    if (started.externalId !== undefined) {
      const task = { runner: runner.kind, externalId: started.externalId };
      state = await this.#append(jobId, attempt, [
        { kind: 'note', attempt, message: 'task submitted', data: { task } },
      ]);
    }
    const status = await runner.status({ jobId, attempt, ...started });
    if (status.state === 'starting' || status.state === 'running')
      state = await this.#append(jobId, attempt, [{ kind: 'status', status: 'starting', attempt }]);
    return state ?? this.#seen.get(jobId)?.state ?? (await this.load(jobId)).state;
  }

  async #reconcile(jobId: string): Promise<JobState> {
    const { state } = await this.load(jobId);
    if (state.terminal || state.attempt === 0) return state;
    const { runner, records, clock } = this.#options;
    const spec = await records.spec(jobId);
    const timedOut = timeoutDue(state, attemptLimits(spec.resources, runner), clock());
    if (timedOut !== undefined) {
      const after = await this.#append(jobId, state.attempt, [timedOut]);
      await runner.cancel(this.#ref(jobId, state), timedOut.reason ?? 'timed out');
      return after;
    }
    const status = await runner.status(this.#ref(jobId, state));
    if (status.state === 'pending') return state;
    if (status.state === 'starting' || status.state === 'running') {
      if (state.status !== 'queued') return state;
      return this.#append(jobId, state.attempt, [
        { kind: 'status', status: 'starting', attempt: state.attempt },
      ]);
    }
    // Queued but unknown to the runner (e.g. the server restarted): hand it over again.
    if (status.state === 'unknown' && state.status === 'queued' && state.task?.externalId === undefined)
      return this.#launch(jobId, state.attempt);
    // A task the runner has no record of may have outlived a killed server: resume, don't fail.
    const outcome =
      status.state === 'unknown'
        ? await this.#lostOutcome(jobId, state, spec.resources.maxAttempts, status.detail)
        : exitOutcome(state, taskExitOf(status));
    if (outcome === undefined) return state;
    const after = await this.#append(jobId, state.attempt, [outcome]);
    this.#options.logger.info('task ended', { jobId, attempt: state.attempt, status: outcome.status });
    return outcome.status === 'queued' ? this.#launch(jobId, outcome.attempt) : after;
  }

  /** A lost task: make sure its process is gone (one writer per run), then resume or fail it. */
  async #lostOutcome(jobId: string, state: JobState, maxAttempts: number, detail: string | undefined) {
    await this.#options.runner.ensureGone?.(this.#ref(jobId, state));
    const checkpointEpoch = await latestCheckpointEpoch(this.#options.store, jobId);
    return lostTaskOutcome(state, {
      maxAttempts,
      checkpointEpoch,
      ...(detail === undefined ? {} : { detail }),
    });
  }
}
