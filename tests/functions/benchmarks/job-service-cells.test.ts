import { describe, expect, it } from 'vitest';
import {
  BenchmarkCostLimitExceeded,
  BenchmarkValidationError,
} from '../../../functions/benchmarks/errors.ts';
import { type JobSystem, jobSystemCells } from '../../../functions/benchmarks/job-service-cells.ts';
import {
  ActiveJobLimitReached,
  CostLimitExceeded,
  InvalidInput,
  StateConflict,
} from '../../../functions/errors.ts';
import type { Submission } from '../../../functions/jobs/service.ts';
import { reduceJobState } from '../../../trainer/events/reduce.ts';
import type { JobEvent } from '../../../trainer/events/types.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';

const spec = parseExperimentSpec({ version: 1, dataset: { name: 'fashion-mnist' }, model: { arch: 'mlp' } });
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const events: JobEvent[] = [
  { writer: 'api', seq: 1, time: at(0), attempt: 1, kind: 'status', status: 'queued' },
  { writer: 'trainer', seq: 1, time: at(2), attempt: 1, kind: 'status', status: 'running' },
  {
    writer: 'trainer',
    seq: 2,
    time: at(9),
    attempt: 1,
    kind: 'metric',
    epoch: 3,
    step: 30,
    key: 'test.top1Error',
    value: 0.2,
  },
  {
    writer: 'trainer',
    seq: 3,
    time: at(12),
    attempt: 1,
    kind: 'status',
    status: 'failed',
    reason: 'diverged',
  },
];

function system(
  submit: (owner: string, submission: Submission) => Promise<{ job: { id: string } }>,
  checks: Pick<JobSystem['jobs'], 'checkDataset' | 'checkCost'> = {
    checkDataset: async () => undefined,
    checkCost: () => undefined,
  },
) {
  const cancelled: string[] = [];
  return {
    cancelled,
    cells: jobSystemCells({
      jobs: { submit, ...checks },
      supervisor: {
        reconcile: async () => reduceJobState(events),
        cancel: async (id) => {
          cancelled.push(id);
          throw new StateConflict('already ended');
        },
      },
      defaultOwner: 'local',
      clock: () => new Date(at(30)),
    }),
  };
}

describe('job port over the API job service (stand-in service object)', () => {
  it("submits the cell's spec under the benchmark owner with a per-cell idempotency key", async () => {
    const calls: [string, Submission][] = [];
    const { cells } = system(async (owner, submission) => {
      calls.push([owner, submission]);
      return { job: { id: 'j-1' } };
    });
    const outcome = await cells.submit(spec, { benchmarkId: 'b-1', cellId: 'erm.s0.seed0' });
    await cells.submit(spec, { benchmarkId: 'b-1', cellId: 'erm.s0.seed0' });
    expect(outcome).toEqual({ kind: 'submitted', jobId: 'j-1' });
    const [owner, submission] = calls[0] ?? [];
    expect(owner).toBe('local');
    expect(submission?.spec).toEqual({ ...spec, name: 'benchmark b-1 cell erm.s0.seed0' });
    expect(submission?.idempotencyKey).toBe('benchmark:b-1:erm.s0.seed0');
    // A resubmission (after a lost cells.json write) is the same request, so the key replays.
    expect(calls[1]?.[1].requestSha256).toBe(submission?.requestSha256);
    expect(submission?.requestSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('waits on the per-key job limit and fails the cell on the cost guard', async () => {
    const busy = system(async () => {
      throw new ActiveJobLimitReached(4);
    });
    expect((await busy.cells.submit(spec, { benchmarkId: 'b', cellId: 'c', owner: 'o' })).kind).toBe(
      'retry-later',
    );
    const costly = system(async () => {
      throw new CostLimitExceeded(10_000, 100, {});
    });
    const outcome = await costly.cells.submit(spec, { benchmarkId: 'b', cellId: 'c' });
    expect(outcome).toMatchObject({
      kind: 'rejected',
      reason: expect.stringContaining('LDAM_MAX_ESTIMATED_SECONDS'),
    });
    const refused = system(async () => {
      throw new InvalidInput([{ path: 'dataset.source', rule: 'not allowed' }]);
    });
    expect((await refused.cells.submit(spec, { benchmarkId: 'b', cellId: 'c' })).kind).toBe('rejected');
    const broken = system(async () => {
      throw new Error('store down');
    });
    await expect(broken.cells.submit(spec, { benchmarkId: 'b', cellId: 'c' })).rejects.toThrow('store down');
  });

  it('views a job from its reduced event log and ignores a cancel of a job that just ended', async () => {
    const s = system(async () => ({ job: { id: 'x' } }));
    expect(await s.cells.view('j-1')).toEqual({
      status: 'failed',
      reason: 'diverged',
      lastEpoch: 3,
      runningSeconds: 10,
    });
    await s.cells.cancel('j-1');
    expect(s.cancelled).toEqual(['j-1']);
  });

  it('checks each distinct source once and names every cell over the cost guard', async () => {
    const sources: (string | undefined)[] = [];
    const cell = (id: string, source: string, epochs: number) => ({
      id,
      spec: { ...spec, dataset: { ...spec.dataset, source }, schedule: { ...spec.schedule, epochs } },
    });
    const cells = [cell('a', '/d/one', 1), cell('b', '/d/one', 50), cell('c', '/d/two', 90)];
    const checks = {
      checkDataset: async (s: typeof spec) => {
        sources.push(s.dataset.source);
      },
      checkCost: (s: typeof spec) => {
        if (s.schedule.epochs > 10) throw new CostLimitExceeded(s.schedule.epochs * 100, 1000, { epochs: 1 });
      },
    };
    const error = await system(async () => ({ job: { id: 'x' } }), checks)
      .cells.check?.(cells)
      .catch((e: unknown) => e);
    expect(sources).toEqual(['/d/one', '/d/two']);
    expect(error).toBeInstanceOf(BenchmarkCostLimitExceeded);
    const refused = error as BenchmarkCostLimitExceeded;
    expect(refused.message).toMatch(
      /^2 of 3 cells are over the cost guard: cell b: estimated run time 5000 s/,
    );
    expect(refused.details()).toMatchObject({
      estimateSeconds: 9000,
      limitSeconds: 1000,
      cells: [
        { cell: 'b', estimateSeconds: 5000 },
        { cell: 'c', estimateSeconds: 9000 },
      ],
    });

    const badSource = {
      ...checks,
      checkDataset: async (s: typeof spec) => {
        if (s.dataset.source === '/d/two')
          throw new InvalidInput([{ path: 'dataset.source', rule: 'missing' }]);
      },
    };
    const invalid = await system(async () => ({ job: { id: 'x' } }), badSource)
      .cells.check?.(cells)
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(BenchmarkValidationError);
    expect((invalid as BenchmarkValidationError).issues).toEqual([
      { cell: 'c', path: 'dataset.source', rule: 'missing' },
    ]);
  });
});
