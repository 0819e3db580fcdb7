import type { Store } from '../../trainer/store/store.ts';
import {
  aggregateResults,
  type BenchmarkResults,
  type CellOutcome,
  type SettingColumn,
} from './aggregate.ts';
import type { ReadCellArtifacts } from './artifacts.ts';
import { cellCost } from './cost.ts';
import { BenchmarkValidationError } from './errors.ts';
import { expandBenchmark, type MethodInfo } from './expand.ts';
import { newBenchmarkId } from './keys.ts';
import type { CellJobs } from './ports.ts';
import { type BenchmarkProgress, cellStateOf, progressOf } from './progress.ts';
import type { BenchmarkRecord } from './records.ts';
import { paperColumnOf } from './reference.ts';
import { BenchmarkRepository } from './repository.ts';
import { BenchmarkScheduler, type BenchmarkSnapshot, type RecordCheck } from './scheduler.ts';
import type { BenchmarkSpec } from './schema.ts';

// The benchmark use cases behind the routes and the CLI: create, watch, aggregate, cancel.

export interface BenchmarkServiceDeps {
  readonly store: Store;
  readonly jobs: CellJobs;
  readonly readArtifacts: ReadCellArtifacts;
  /** LDAM_PRICE_PER_DEVICE_HOUR, when configured. */
  readonly pricePerDeviceHour?: number;
  /** The server's own cap on cells per benchmark, over the spec's maxCells. */
  readonly maxCells?: number;
  readonly now?: () => Date;
}

/** One cell as progress shows it. */
export interface CellView {
  readonly id: string;
  readonly method: string;
  readonly setting: number;
  readonly seed: number;
  readonly jobId: string | null;
  readonly state: CellOutcome['state'];
  readonly reason?: string;
  readonly lastEpoch: number;
  readonly epochs: number;
}

export interface BenchmarkView {
  readonly id: string;
  readonly name?: string;
  readonly createdAt: string;
  readonly progress: BenchmarkProgress;
  readonly methods: readonly MethodInfo[];
  readonly settings: readonly SettingColumn[];
  readonly cells: readonly CellView[];
}

export class BenchmarkService {
  private readonly repository: BenchmarkRepository;
  private readonly scheduler: BenchmarkScheduler;
  private readonly now: () => Date;

  constructor(private readonly deps: BenchmarkServiceDeps) {
    this.repository = new BenchmarkRepository(deps.store);
    this.now = deps.now ?? (() => new Date());
    this.scheduler = new BenchmarkScheduler(this.repository, deps.jobs, this.now);
  }

  /** Expands and stores a parsed benchmark, then submits its first cells. */
  async create(spec: BenchmarkSpec, owner?: string): Promise<BenchmarkView> {
    const expanded = expandBenchmark(spec);
    const cap = this.deps.maxCells;
    if (cap !== undefined && expanded.cells.length > cap)
      throw new BenchmarkValidationError([
        {
          path: 'maxCells',
          rule: `${expanded.cells.length} cells; this server runs at most ${cap} per benchmark`,
        },
      ]);
    // Refused whole before anything is stored, rather than stored and failing cell by cell.
    await this.deps.jobs.check?.(expanded.cells);
    const record: BenchmarkRecord = {
      id: newBenchmarkId(this.now().getTime()),
      createdAt: this.now().toISOString(),
      ...(owner === undefined ? {} : { owner }),
      spec,
    };
    const cells = expanded.cells.map((c) => ({
      id: c.id,
      method: c.method,
      setting: c.setting,
      seed: c.seed,
      jobId: null,
    }));
    await this.repository.create(record, { cells });
    return this.view(await this.scheduler.advance(record.id));
  }

  /** Progress; submits cells whose turn has come first. `check` vets the record (owner) first. */
  async status(id: string, check?: RecordCheck): Promise<BenchmarkView> {
    return this.view(await this.scheduler.advance(id, check));
  }

  async cancel(id: string, check?: RecordCheck): Promise<BenchmarkView> {
    return this.view(await this.scheduler.cancel(id, check));
  }

  /** Ids of benchmarks still running (advancing each), for a driver that resumes after a restart. */
  async activeIds(): Promise<string[]> {
    const active: string[] = [];
    for (const id of await this.repository.listIds())
      if ((await this.status(id)).progress.status === 'running') active.push(id);
    return active;
  }

  /** Aggregated results so far: finished cells with numbers, the rest with their state. */
  async results(id: string, check?: RecordCheck): Promise<BenchmarkResults> {
    const snapshot = await this.scheduler.advance(id, check);
    const view = this.view(snapshot);
    const specs = new Map(snapshot.expanded.cells.map((c) => [c.id, c.spec]));
    const outcomes: CellOutcome[] = [];
    for (const cell of view.cells) {
      const spec = specs.get(cell.id);
      const base = {
        id: cell.id,
        method: cell.method,
        setting: cell.setting,
        seed: cell.seed,
        jobId: cell.jobId,
        state: cell.state,
        ...(cell.reason === undefined ? {} : { reason: cell.reason }),
      };
      if (
        cell.jobId === null ||
        spec === undefined ||
        !['succeeded', 'failed', 'timed_out', 'cancelled'].includes(cell.state)
      ) {
        outcomes.push(base);
        continue;
      }
      const artifacts = await this.deps.readArtifacts(cell.jobId);
      const reason = cell.state === 'succeeded' ? artifacts.error : cell.reason;
      const wallSeconds = snapshot.views.get(cell.jobId)?.runningSeconds ?? null;
      const cost =
        wallSeconds === null
          ? undefined
          : cellCost({
              wallSeconds,
              backend: artifacts.backend?.name ?? 'unknown',
              device: artifacts.backend?.device ?? 'unknown',
              gpus: spec.resources.gpus,
            });
      outcomes.push({
        ...base,
        ...(reason === undefined ? {} : { reason }),
        ...(cell.state === 'succeeded' && artifacts.metrics !== undefined
          ? { metrics: artifacts.metrics }
          : {}),
        ...(cost === undefined ? {} : { cost }),
      });
    }
    return aggregateResults({
      benchmarkId: id,
      ...(snapshot.record.spec.name === undefined ? {} : { name: snapshot.record.spec.name }),
      methods: view.methods,
      settings: view.settings,
      cells: outcomes,
      ...(this.deps.pricePerDeviceHour === undefined
        ? {}
        : { pricePerDeviceHour: this.deps.pricePerDeviceHour }),
    });
  }

  private view(snapshot: BenchmarkSnapshot): BenchmarkView {
    const { record, cells, views, expanded } = snapshot;
    const cancelled = cells.cancelledAt !== undefined;
    const specs = new Map(expanded.cells.map((c) => [c.id, c.spec]));
    const settings = expanded.settings.map((s) => {
      const spec = expanded.cells.find((c) => c.setting === s.index)?.spec;
      const paperColumn = spec === undefined ? undefined : paperColumnOf(spec);
      return { index: s.index, label: s.label, ...(paperColumn === undefined ? {} : { paperColumn }) };
    });
    return {
      id: record.id,
      ...(record.spec.name === undefined ? {} : { name: record.spec.name }),
      createdAt: record.createdAt,
      progress: progressOf(cells, views),
      methods: expanded.methods,
      settings,
      cells: cells.cells.map((cell) => {
        const job = cell.jobId === null ? undefined : views.get(cell.jobId);
        const reason = cell.submitError ?? job?.reason;
        return {
          id: cell.id,
          method: cell.method,
          setting: cell.setting,
          seed: cell.seed,
          jobId: cell.jobId,
          state: cellStateOf(cell, job, cancelled),
          ...(reason === undefined ? {} : { reason }),
          lastEpoch: job?.lastEpoch ?? 0,
          epochs: specs.get(cell.id)?.schedule.epochs ?? 0,
        };
      }),
    };
  }
}
