import { describe, expect, it } from 'vitest';
import { aggregateResults } from '../../../functions/benchmarks/aggregate.ts';
import { renderLiveTable } from '../../../functions/benchmarks/render/live.ts';
import type { BenchmarkView, CellView } from '../../../functions/benchmarks/service.ts';
import { noExtraMetrics } from './fixtures.ts';

const cell = (id: string, method: string, state: CellView['state'], lastEpoch = 0): CellView => ({
  id,
  method,
  setting: 0,
  seed: Number(id.at(-1)),
  jobId: `job-${id}`,
  state,
  lastEpoch,
  epochs: 5,
});

const view: BenchmarkView = {
  id: 'b-1',
  name: 'live',
  createdAt: '2026-01-01T00:00:00.000Z',
  progress: { status: 'running', total: 4, pending: 1, running: 1, succeeded: 1, failed: 1, cancelled: 0 },
  methods: [
    { name: 'erm', label: 'ERM' },
    { name: 'ldam-drw', label: 'LDAM-DRW' },
  ],
  settings: [{ index: 0, label: 'exp-100' }],
  cells: [
    cell('erm.s0.seed0', 'erm', 'succeeded', 5),
    cell('erm.s0.seed1', 'erm', 'running', 3),
    cell('ldam-drw.s0.seed0', 'ldam-drw', 'failed', 2),
    cell('ldam-drw.s0.seed1', 'ldam-drw', 'pending'),
  ],
};

describe('live table', () => {
  it('shows finished numbers, running epochs, waiting and failed cells per entry', () => {
    const results = aggregateResults({
      benchmarkId: 'b-1',
      methods: view.methods,
      settings: view.settings,
      cells: [
        {
          id: 'erm.s0.seed0',
          method: 'erm',
          setting: 0,
          seed: 0,
          jobId: 'j',
          state: 'succeeded',
          metrics: {
            finalError: 31,
            bestError: 30.5,
            bestEpoch: 4,
            finalEpoch: 5,
            balancedError: 31,
            manyError: null,
            mediumError: null,
            fewError: null,
            ...noExtraMetrics,
            perClassError: [],
          },
        },
      ],
    });
    const lines = renderLiveTable(view, results).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'live: running — 1 done, 1 running, 1 pending, 1 failed, 0 cancelled of 4 (best-epoch top-1 error %)',
    );
    expect(lines[1]).toMatch(/^method\s+exp-100$/);
    expect(lines[2]).toMatch(/^ERM\s+30\.50 e3\/5 \[1\/2\]$/);
    expect(lines[3]).toMatch(/^LDAM-DRW\s+1 waiting 1 failed \[0\/2\]$/);
  });
});
