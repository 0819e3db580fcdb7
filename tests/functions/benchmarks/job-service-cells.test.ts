import { describe, expect, it } from 'vitest';
import { jobSystemCells } from '../../../functions/benchmarks/job-service-cells.ts';
import { Conflict, CostLimitExceeded, TooManyJobs } from '../../../functions/errors.ts';
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
  submit: (owner: string, body: string, key: string | undefined) => Promise<{ job: { id: string } }>,
) {
  const cancelled: string[] = [];
  return {
    cancelled,
    cells: jobSystemCells({
      jobs: { submit },
      supervisor: {
        reconcile: async () => reduceJobState(events),
        cancel: async (id) => {
          cancelled.push(id);
          throw new Conflict('already ended');
        },
      },
      defaultOwner: 'local',
      clock: () => new Date(at(30)),
    }),
  };
}

describe('job port over the API job service (stand-in service object)', () => {
  it("submits the cell's spec under the benchmark owner with a per-cell idempotency key", async () => {
    const calls: [string, unknown, string | undefined][] = [];
    const { cells } = system(async (owner, body, key) => {
      calls.push([owner, JSON.parse(body), key]);
      return { job: { id: 'j-1' } };
    });
    const outcome = await cells.submit(spec, { benchmarkId: 'b-1', cellId: 'erm.s0.seed0' });
    expect(outcome).toEqual({ kind: 'submitted', jobId: 'j-1' });
    expect(calls[0]?.[0]).toBe('local');
    expect(calls[0]?.[1]).toMatchObject({ name: 'benchmark b-1 cell erm.s0.seed0', model: { arch: 'mlp' } });
    expect(calls[0]?.[2]).toBe('benchmark:b-1:erm.s0.seed0');
  });

  it('waits on the per-key job limit and fails the cell on the cost guard', async () => {
    const busy = system(async () => {
      throw new TooManyJobs(4);
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
});
