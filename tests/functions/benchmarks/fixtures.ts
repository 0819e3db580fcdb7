import type {
  CellJobs,
  CellJobView,
  CellSubmission,
  SubmitOutcome,
} from '../../../functions/benchmarks/ports.ts';
import type { JobStatus } from '../../../trainer/events/types.ts';
import type { ReportV1 } from '../../../trainer/reports/schema-v1.ts';
import type { ExperimentSpec } from '../../../trainer/spec/index.ts';

/**
 * A valid version-1 report.json (what older jobs stored; read through the v2 migration) for K classes
 * with the given final per-class errors and test-error history.
 */
export function reportFor(
  jobId: string,
  perClassError: number[],
  history: number[],
  backend = { name: 'cpu', device: 'cpu' },
): ReportV1 {
  const k = perClassError.length;
  const evaluation = (epoch: number) => ({
    epoch,
    split: 'test' as const,
    top1Error: perClassError.reduce((a, b) => a + b, 0) / k,
    balancedError: perClassError.reduce((a, b) => a + b, 0) / k,
    perClassError,
    perClassCount: perClassError.map(() => 100),
    groups: {
      many: { error: perClassError[0] ?? null, classes: 1 },
      medium: { error: null, classes: 0 },
      few: { error: perClassError[k - 1] ?? null, classes: k - 1 },
    },
    confusion: perClassError.map((e, i) =>
      perClassError.map((_, j) => (i === j ? Math.round(100 * (1 - e)) : 0)),
    ),
  });
  return {
    reportVersion: 1,
    jobId,
    createdAt: '2026-01-01T00:00:00.000Z',
    spec: {
      dataset: { name: 'synthetic', numClasses: k, imbalance: { type: 'exp', ratio: 10 } },
      model: { arch: 'mlp', classifier: 'linear' },
      loss: { type: 'ce' },
      rebalance: { rule: 'none', weighting: 'class-balanced', beta: 0.9999, afterEpoch: null },
      epochs: history.length,
      seed: 0,
    },
    backend,
    classes: perClassError.map((_, index) => ({ index, name: `c${index}`, trainCount: 100 })),
    final: evaluation(history.length),
    best: { ...evaluation(history.length), chosenOn: 'test' },
    history: history.map((error, i) => ({
      epoch: i + 1,
      lr: 0.1,
      trainLoss: 1,
      test: { top1Error: error, balancedError: error },
      validation: null,
    })),
  };
}

interface FakeJob {
  readonly spec: ExperimentSpec;
  readonly submission: CellSubmission;
  status: JobStatus;
  reason?: string;
  runningSeconds: number | null;
}

/** In-memory job port standing in for the API's job service: tests move jobs by hand. */
export class InMemoryCellJobs implements CellJobs {
  readonly jobs = new Map<string, FakeJob>();
  nextOutcome: ((spec: ExperimentSpec) => SubmitOutcome | undefined) | undefined;
  cancelled: string[] = [];
  private counter = 0;

  async submit(spec: ExperimentSpec, submission: CellSubmission): Promise<SubmitOutcome> {
    const forced = this.nextOutcome?.(spec);
    if (forced !== undefined) return forced;
    this.counter += 1;
    const jobId = `job-${String(this.counter).padStart(3, '0')}`;
    this.jobs.set(jobId, { spec, submission, status: 'queued', runningSeconds: null });
    return { kind: 'submitted', jobId };
  }

  async view(jobId: string): Promise<CellJobView> {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new Error(`no job ${jobId}`);
    return {
      status: job.status,
      ...(job.reason === undefined ? {} : { reason: job.reason }),
      lastEpoch: 0,
      runningSeconds: job.runningSeconds,
    };
  }

  async cancel(jobId: string): Promise<void> {
    this.cancelled.push(jobId);
    const job = this.jobs.get(jobId);
    if (job !== undefined) job.status = 'cancelled';
  }

  finish(jobId: string, status: JobStatus, runningSeconds: number, reason?: string): void {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new Error(`no job ${jobId}`);
    job.status = status;
    job.runningSeconds = runningSeconds;
    if (reason !== undefined) job.reason = reason;
  }

  active(): string[] {
    return [...this.jobs]
      .filter(([, j]) => j.status === 'queued' || j.status === 'running')
      .map(([id]) => id);
  }
}

/** The CellMetrics fields a report without top-5, calibration, rank thirds or validation leaves null. */
export const noExtraMetrics = {
  headError: null,
  middleError: null,
  tailError: null,
  finalTop5Error: null,
  bestTop5Error: null,
  macroF1: null,
  ece: null,
  validationBestError: null,
  validationBestEpoch: null,
} as const;
