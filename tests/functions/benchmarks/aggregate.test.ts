import { describe, expect, it } from 'vitest';
import {
  aggregateResults,
  type CellMetrics,
  type CellOutcome,
} from '../../../functions/benchmarks/aggregate.ts';
import { cellCost, priceOf } from '../../../functions/benchmarks/cost.ts';
import { summarize } from '../../../functions/benchmarks/stats.ts';
import { noExtraMetrics } from './fixtures.ts';

function metrics(finalError: number, bestError: number, perClassError: number[]): CellMetrics {
  return {
    finalError,
    bestError,
    bestEpoch: 4,
    finalEpoch: 5,
    balancedError: finalError,
    manyError: 10,
    mediumError: null,
    fewError: 80,
    ...noExtraMetrics,
    perClassError,
  };
}

const cpu = (wallSeconds: number) => cellCost({ wallSeconds, backend: 'wasm', device: 'cpu', gpus: 1 });

const methods = [
  { name: 'erm', label: 'ERM', paperRow: 'ERM' },
  { name: 'ldam-drw', label: 'LDAM-DRW', paperRow: 'LDAM-DRW' },
];
const settings = [{ index: 0, label: 'cifar10 exp-100', paperColumn: 'cifar10-exp-100' }];

const cells: CellOutcome[] = [
  {
    id: 'erm.s0.seed0',
    method: 'erm',
    setting: 0,
    seed: 0,
    jobId: 'j1',
    state: 'succeeded',
    metrics: metrics(30, 28, [10, 50]),
    cost: cpu(100),
  },
  {
    id: 'erm.s0.seed1',
    method: 'erm',
    setting: 0,
    seed: 1,
    jobId: 'j2',
    state: 'succeeded',
    metrics: metrics(34, 30, [20, 60]),
    cost: cpu(50),
  },
  {
    id: 'erm.s0.seed2',
    method: 'erm',
    setting: 0,
    seed: 2,
    jobId: 'j3',
    state: 'failed',
    reason: 'exit code 4',
    cost: cpu(5),
  },
  {
    id: 'ldam-drw.s0.seed0',
    method: 'ldam-drw',
    setting: 0,
    seed: 0,
    jobId: 'j4',
    state: 'failed',
    reason: 'exit code 1',
  },
  {
    id: 'ldam-drw.s0.seed1',
    method: 'ldam-drw',
    setting: 0,
    seed: 1,
    jobId: null,
    state: 'not_submitted',
    reason: 'queue full',
  },
  { id: 'ldam-drw.s0.seed2', method: 'ldam-drw', setting: 0, seed: 2, jobId: 'j6', state: 'running' },
];

describe('summaries over seeds', () => {
  it('computes the mean and the sample standard deviation, ignoring missing values', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9, null, Number.NaN]);
    expect(s?.n).toBe(8);
    expect(s?.mean).toBeCloseTo(5, 12);
    expect(s?.std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(summarize([3])).toEqual({ mean: 3, std: null, n: 1 });
    expect(summarize([null])).toBeNull();
  });
});

describe('benchmark aggregation', () => {
  const results = aggregateResults({ benchmarkId: 'b1', methods, settings, cells, pricePerDeviceHour: 3.6 });
  const erm = results.groups.find((g) => g.method === 'erm');
  const ldam = results.groups.find((g) => g.method === 'ldam-drw');

  it('averages the succeeded seeds of a group and counts its failed cells', () => {
    expect(erm?.counts).toEqual({ total: 3, succeeded: 2, failed: 1, active: 0 });
    expect(erm?.finalError?.mean).toBeCloseTo(32, 12);
    expect(erm?.finalError?.std).toBeCloseTo(Math.SQRT2 * 2, 12);
    expect(erm?.bestError).toEqual({ mean: 29, std: expect.closeTo(Math.SQRT2, 12), n: 2 });
    expect(erm?.mediumError).toBeNull();
    expect(erm?.perClassError).toEqual([15, 55]);
    expect(erm?.paperError).toBe(29.64);
  });

  it('keeps failed, unsubmitted and running cells visible instead of dropping them', () => {
    expect(ldam?.counts).toEqual({ total: 3, succeeded: 0, failed: 2, active: 1 });
    expect(ldam?.finalError).toBeNull();
    expect(ldam?.paperError).toBe(22.97);
    expect(results.complete).toBe(false);
    expect(results.cells).toHaveLength(6);
  });

  it('totals wall time, device-seconds and cost over every cell, failed ones included', () => {
    expect(results.totals).toMatchObject({
      cells: 6,
      succeeded: 2,
      failed: 3,
      active: 1,
      wallSeconds: 155,
      deviceSeconds: 155,
    });
    expect(results.totals.cost).toBeCloseTo(0.155, 12);
    expect(erm?.deviceSeconds).toBe(155);
  });
});

describe('cell cost', () => {
  it('counts the requested GPUs on a GPU run and one device otherwise', () => {
    expect(
      cellCost({ wallSeconds: 10, backend: 'tensorflow-gpu', device: 'gpu', gpus: 4 }).deviceSeconds,
    ).toBe(40);
    expect(cellCost({ wallSeconds: 10, backend: 'wasm', device: 'cpu', gpus: 4 }).deviceSeconds).toBe(10);
    expect(priceOf(7200, 1.5)).toBe(3);
  });
});
