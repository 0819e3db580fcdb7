// The jobs use cases behind the HTTP routes: every check that can refuse a job runs before
// anything is written, so a rejected request leaves the store untouched.

import { storedLastSeq, writerIds } from '../../trainer/events/chunks.ts';
import {
  decodePosition,
  encodePosition,
  InvalidLogPositionError,
  readEvents,
} from '../../trainer/events/log.ts';
import type { JobState } from '../../trainer/events/reduce.ts';
import type { LogPosition } from '../../trainer/events/types.ts';
import { readLogs } from '../../trainer/logs/index.ts';
import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import { KeyedMutex } from '../../trainer/store/keyed-mutex.ts';
import { isValidJobId, newJobId } from '../../trainer/store/keys.ts';
import { formatContentTypes, type ReportFormat, reportKey } from '../../trainer/store/run-layout.ts';
import type { Store } from '../../trainer/store/store.ts';
import { getIfPresent } from '../../trainer/store/write-once.ts';
import type { ApiConfig } from '../config.ts';
import { costRefusal } from '../cost/guard.ts';
import { InvalidInput, NotFound, StateConflict } from '../errors.ts';
import type { EventsPage, JobList, JobSummary, JobView, ListQuery } from '../http/schemas.ts';
import type { TaskRunner } from '../runners/task-runner.ts';
import { Admission } from './admission.ts';
import { type BucketDatasetContext, withBucketDataset } from './bucket-datasets.ts';
import { seesTrainerFiles, sourceIssues } from './dataset-source.ts';
import { estimateCompletion } from './eta.ts';
import { type IdempotencyRecord, idempotencyKey, type JobRecord, type JobRecords } from './records.ts';
import { checkStage1, type Stage1Lookup } from './stage2-check.ts';
import type { Supervisor } from './supervisor.ts';

export interface JobServiceDeps {
  readonly store: Store;
  readonly records: JobRecords;
  readonly supervisor: Supervisor;
  readonly runner: TaskRunner;
  readonly config: ApiConfig;
  readonly clock: () => Date;
}

export interface Submission {
  readonly spec: ExperimentSpec;
  /** SHA-256 of the request as sent: an Idempotency-Key replay with another request is refused. */
  readonly requestSha256: string;
  readonly idempotencyKey?: string;
}

export interface Submitted {
  readonly job: JobView;
  /** True when an Idempotency-Key replay returned an existing job. */
  readonly replayed: boolean;
}

export class JobService {
  readonly #deps: JobServiceDeps;
  readonly #submitting = new KeyedMutex();
  readonly #admission: Admission;

  constructor(deps: JobServiceDeps) {
    this.#deps = deps;
    this.#admission = new Admission({
      store: deps.store,
      clock: deps.clock,
      activity: async (id) => {
        const { state } = await deps.supervisor.load(id);
        return { active: !state.terminal && state.attempt > 0, lastChange: state.transitions.at(-1)?.time };
      },
    });
  }

  /** Admits a parsed spec: every check that can refuse it runs before anything is written. */
  async submit(owner: string, given: Submission): Promise<Submitted> {
    await this.checkSource(given.spec.dataset.source);
    this.checkCost(given.spec);
    await checkStage1(owner, given.spec, this.#stage1Lookup());
    const spec = await withBucketDataset(given.spec, this.#bucketContext());
    const submission = spec === given.spec ? given : { ...given, spec };
    const key = submission.idempotencyKey;
    if (key === undefined) return this.#admit(owner, submission, undefined);
    const claimKey = idempotencyKey(owner, key);
    // One submission per key at a time in this process; putIfAbsent guards across processes.
    return this.#submitting.run(claimKey, () => this.#admit(owner, submission, claimKey));
  }

  async #admit(owner: string, submission: Submission, claimKey: string | undefined): Promise<Submitted> {
    const { records, supervisor } = this.#deps;
    const { requestSha256 } = submission;
    // A replay returns the first job even when the key's owner is at the active-job limit now.
    const previous = claimKey === undefined ? undefined : await records.readIdempotency(claimKey);
    if (previous !== undefined)
      return { job: await this.#replay(owner, previous, requestSha256), replayed: true };
    const id = newJobId(this.#deps.clock().getTime());
    await this.#admitActive(owner, id);
    const record: JobRecord = {
      id,
      owner,
      createdAt: this.#deps.clock().toISOString(),
      name: submission.spec.name ?? null,
      ...(claimKey === undefined ? {} : { idempotencyRecord: claimKey }),
    };
    let claimed: IdempotencyRecord | undefined;
    try {
      if (claimKey !== undefined)
        claimed = await records.claimIdempotency(claimKey, { jobId: id, requestSha256 });
      if (claimed === undefined) await records.create(record, submission.spec);
    } catch (error) {
      await this.#admission.release(owner, id).catch(() => undefined);
      throw error;
    }
    if (claimed !== undefined) {
      // Another request took the key first: its job holds the slot, not this one.
      await this.#admission.release(owner, id);
      return { job: await this.#replay(owner, claimed, requestSha256), replayed: true };
    }
    const state = await supervisor.submit(id);
    return { job: await this.#view(record, state), replayed: false };
  }

  /**
   * A page of the owner's jobs, newest first: two or three reads per job on the page. A filter on
   * an active status looks only at the owner's active index; a filter on a finished status skips
   * the active jobs and the non-matching finished ones it meets on the way.
   */
  async list(owner: string, query: ListQuery): Promise<JobList> {
    const ids = await this.#candidates(owner, query.status);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const remaining = after === undefined ? ids : ids.filter((id) => id < after);
    const jobs: JobSummary[] = [];
    // A page's jobs are read at once; a filter that skips some reads the next batch.
    for (let start = 0; start < remaining.length; start += query.limit) {
      const batch = remaining.slice(start, start + query.limit);
      for (const [i, found] of (await Promise.all(batch.map((id) => this.#listed(owner, id)))).entries()) {
        if (found === undefined) continue;
        if (query.status !== undefined && found.state.status !== query.status) continue;
        if (jobs.length === query.limit)
          return { jobs, nextCursor: encodeCursor(jobs.at(-1)?.id ?? (batch[i] as string)) };
        jobs.push(await this.#summary(found.record, found.state));
      }
      // Unfiltered, any id left means a next page; filtered, only one that matches does.
      if (jobs.length === query.limit && query.status === undefined && start + query.limit < remaining.length)
        return { jobs, nextCursor: encodeCursor(jobs.at(-1)?.id as string) };
    }
    return { jobs, nextCursor: null };
  }

  /** The owner's job with its state, or undefined when it is gone (or not the owner's). */
  async #listed(owner: string, id: string): Promise<{ record: JobRecord; state: JobState } | undefined> {
    const [record, state] = await Promise.all([this.#deps.records.get(id), this.#deps.supervisor.peek(id)]);
    // No state: deleted (perhaps by another server), or created but not yet queued.
    if (record === undefined || record.owner !== owner || state.attempt === 0) return undefined;
    return { record, state };
  }

  /** The ids a page may hold, newest first. */
  async #candidates(owner: string, status: ListQuery['status']): Promise<string[]> {
    if (status === 'queued' || status === 'starting' || status === 'running') {
      const indexed = await this.#admission.indexed(owner);
      if (indexed !== undefined) return indexed.sort().reverse();
    }
    return this.#deps.records.idsOf(owner);
  }

  async get(owner: string, id: string): Promise<JobView> {
    // The record and the state are read at once; another owner's job reads as absent either way.
    const [record, state] = await Promise.all([
      this.#owned(owner, id),
      isValidJobId(id) ? this.#deps.supervisor.reconcile(id) : undefined,
    ]);
    // A record without a log: deleted by another server (this one's cache still had the record).
    if (state === undefined || state.attempt === 0) throw new NotFound(`no job '${id}'`);
    return this.#view(record, state);
  }

  async events(owner: string, id: string, after: string | undefined): Promise<EventsPage> {
    const position = await this.resumePosition(owner, id, after, 'after');
    const state = await this.#deps.supervisor.reconcile(id);
    const read = await readEvents(this.#deps.store, id, position);
    return {
      events: read.events,
      position: encodePosition(read.position),
      status: state.status,
      terminal: state.terminal,
    };
  }

  /**
   * Where to resume the owner's job's log: the position the text encodes, refused when it is past
   * the log's end (no position this log handed out can be), so a client never waits on a gap forever.
   */
  async resumePosition(
    owner: string,
    id: string,
    text: string | undefined,
    field: string,
  ): Promise<LogPosition> {
    await this.#owned(owner, id);
    const position = parsePosition(text, field);
    for (const writer of writerIds) {
      const seq = position[writer] ?? 0;
      if (seq === 0) continue;
      const last = await storedLastSeq(this.#deps.store, id, writer);
      if (seq > last)
        throw new InvalidInput([
          {
            path: field,
            rule: `past the end of the job's event log (${writer} seq ${seq}; the log has ${last})`,
          },
        ]);
    }
    return position;
  }

  async report(
    owner: string,
    id: string,
    format: ReportFormat,
  ): Promise<{ body: Uint8Array; contentType: string }> {
    await this.#owned(owner, id);
    const body = await getIfPresent(this.#deps.store, reportKey(id, format));
    if (body === undefined)
      throw new NotFound(`job ${id} has no report yet (it is written when training succeeds)`);
    return { body, contentType: formatContentTypes[format] };
  }

  /** The shipped stdout/stderr text (every attempt, in order), optionally one stream only. */
  async logs(owner: string, id: string, stream: 'stdout' | 'stderr' | undefined): Promise<string> {
    await this.#owned(owner, id);
    const chunks = await readLogs(this.#deps.store, id, stream === undefined ? {} : { stream });
    return chunks.map((c) => c.text).join('');
  }

  async cancel(owner: string, id: string): Promise<JobView> {
    const record = await this.#owned(owner, id);
    return this.#view(record, await this.#deps.supervisor.cancel(id));
  }

  async retry(owner: string, id: string): Promise<JobView> {
    const record = await this.#owned(owner, id);
    const state = await this.#deps.supervisor.reconcile(id);
    if (!state.terminal || state.status === 'succeeded')
      throw new StateConflict(
        `job ${id} is ${state.status}; only failed, cancelled or timed-out jobs can be retried`,
      );
    await this.#admitActive(owner, id);
    try {
      return this.#view(record, await this.#deps.supervisor.retry(id));
    } catch (error) {
      // Deleted in between: nothing of the retry was written, so its slot is free again.
      if (error instanceof NotFound) await this.#admission.release(owner, id);
      throw error;
    }
  }

  async delete(owner: string, id: string): Promise<void> {
    const record = await this.#owned(owner, id);
    await this.#deps.supervisor.remove(id, () => this.#deps.records.remove(record));
  }

  #stage1Lookup(): Stage1Lookup {
    const { records, supervisor } = this.#deps;
    return {
      ownerOf: async (id) => (isValidJobId(id) ? (await records.get(id))?.owner : undefined),
      specOf: (id) => records.spec(id),
      stateOf: (id) => supervisor.reconcile(id),
    };
  }

  /** The job if it exists and belongs to the owner; other owners' jobs read as absent. */
  async #owned(owner: string, id: string): Promise<JobRecord> {
    const record = isValidJobId(id) ? await this.#deps.records.get(id) : undefined;
    if (record === undefined || record.owner !== owner) throw new NotFound(`no job '${id}'`);
    return record;
  }

  /** The source policy (a local source resolved where this API sees the trainer's files); writes nothing. */
  async checkSource(source: string | undefined): Promise<void> {
    const { sources, runnerKind } = this.#deps.config;
    const issues = await sourceIssues(source, sources, { resolveLocal: seesTrainerFiles(runnerKind) });
    if (issues.length > 0) throw new InvalidInput(issues);
  }

  /** The dataset a job of this spec would read: its source, and a container runner's bucket copy; writes nothing. */
  async checkDataset(spec: ExperimentSpec): Promise<void> {
    await this.checkSource(spec.dataset.source);
    await withBucketDataset(spec, this.#bucketContext());
  }

  #bucketContext(): BucketDatasetContext {
    const { config, store } = this.#deps;
    return { runnerKind: config.runnerKind, store, bucket: config.sources.projectBucket };
  }

  /** The cost guard (CostLimitExceeded over LDAM_MAX_ESTIMATED_SECONDS); writes nothing. */
  checkCost(spec: ExperimentSpec): void {
    const { runner, config } = this.#deps;
    const refusal = costRefusal(spec, {
      device: runner.device,
      runnerKind: runner.kind,
      maxEstimatedSeconds: config.maxEstimatedSeconds,
    });
    if (refusal !== undefined) throw refusal;
  }

  /** Takes one of the owner's active-job slots for the job, atomically (admission.ts). */
  #admitActive(owner: string, id: string): Promise<void> {
    return this.#admission.admit(owner, id, this.#deps.config.maxActiveJobsPerKey, () =>
      this.#deps.records.idsOf(owner),
    );
  }

  async #replay(
    owner: string,
    claim: { jobId: string; requestSha256: string },
    requestSha256: string,
  ): Promise<JobView> {
    if (claim.requestSha256 !== requestSha256)
      throw new StateConflict('this Idempotency-Key was already used with a different request body');
    return this.get(owner, claim.jobId);
  }

  async #summary(record: JobRecord, state: JobState): Promise<JobSummary> {
    // Records written before names were kept in them send the reader to the spec.
    const name =
      record.name === undefined
        ? (await this.#deps.records.spec(record.id)).name
        : (record.name ?? undefined);
    const base = `/v1/jobs/${record.id}`;
    return {
      id: record.id,
      ...(name === undefined ? {} : { name }),
      status: state.status,
      attempt: state.attempt,
      createdAt: record.createdAt,
      updatedAt: state.transitions.at(-1)?.time ?? record.createdAt,
      ...(state.failureReason === undefined ? {} : { failureReason: state.failureReason }),
      ...(state.exitCode === undefined ? {} : { exitCode: state.exitCode }),
      links: {
        self: base,
        events: `${base}/events`,
        report: `${base}/report`,
        logs: `${base}/logs`,
        artifacts: `${base}/artifacts`,
      },
    };
  }

  async #view(record: JobRecord, state: JobState): Promise<JobView> {
    const spec = await this.#deps.records.spec(record.id);
    const epochs = spec.schedule.epochs;
    return {
      ...(await this.#summary(record, state)),
      transitions: state.transitions.map((t) => ({ ...t })),
      cancelRequested: state.cancelRequested,
      progress: { epoch: state.lastEpoch, epochs, metrics: { ...state.latestMetrics } },
      eta: estimateCompletion(state, epochs, this.#deps.clock()) ?? null,
      spec,
    };
  }
}

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isValidJobId(id)) throw new InvalidInput([{ path: 'cursor', rule: 'not a cursor this API returned' }]);
  return id;
}

export function parsePosition(text: string | undefined, field: string) {
  try {
    return decodePosition(text ?? '');
  } catch (error) {
    if (error instanceof InvalidLogPositionError)
      throw new InvalidInput([{ path: field, rule: error.message }]);
    throw error;
  }
}
