import { describe, expect, it } from 'vitest';
import { aggregateResults, type CellOutcome } from '../../../functions/benchmarks/aggregate.ts';
import { cellCost } from '../../../functions/benchmarks/cost.ts';
import { renderCsv } from '../../../functions/benchmarks/render/csv.ts';
import { renderMarkdown } from '../../../functions/benchmarks/render/markdown.ts';
import { renderSvg } from '../../../functions/benchmarks/render/svg.ts';
import { noExtraMetrics } from './fixtures.ts';

const cost = cellCost({ wallSeconds: 36, backend: 'cpu', device: 'cpu', gpus: 0 });
const m = (e: number, perClass: number[]) => ({
  finalError: e,
  bestError: e - 1,
  bestEpoch: 3,
  finalEpoch: 4,
  balancedError: e,
  manyError: 5,
  mediumError: 20,
  fewError: 70,
  ...noExtraMetrics,
  finalTop5Error: e / 2,
  bestTop5Error: e / 2 - 1,
  perClassError: perClass,
});
const cells: CellOutcome[] = [
  {
    id: 'erm.s0.seed0',
    method: 'erm',
    setting: 0,
    seed: 0,
    jobId: 'a',
    state: 'succeeded',
    metrics: m(20, [0, 100]),
    cost,
  },
  {
    id: 'erm.s1.seed0',
    method: 'erm',
    setting: 1,
    seed: 0,
    jobId: 'b',
    state: 'succeeded',
    metrics: m(10, [0, 20]),
    cost,
  },
  {
    id: 'ldam.s0.seed0',
    method: 'ldam',
    setting: 0,
    seed: 0,
    jobId: 'c',
    state: 'succeeded',
    metrics: m(15, [50, 50]),
    cost,
  },
  {
    id: 'ldam.s1.seed0',
    method: 'ldam',
    setting: 1,
    seed: 0,
    jobId: 'd',
    state: 'failed',
    reason: 'loss, diverged',
  },
];
const results = aggregateResults({
  benchmarkId: 'b1',
  name: 'tiny',
  methods: [
    { name: 'erm', label: 'ERM' },
    { name: 'ldam', label: 'LDAM' },
  ],
  settings: [
    { index: 0, label: 'exp-100' },
    { index: 1, label: 'step-10' },
  ],
  cells,
  pricePerDeviceHour: 100,
});

describe('Markdown results', () => {
  const md = renderMarkdown(results);
  const lines = md.split('\n');

  it('lays methods out as rows and settings as columns, best epoch first', () => {
    const header = lines.findIndex((l) => l.startsWith('| Method | exp-100'));
    expect(lines[header]).toBe('| Method | exp-100 | step-10 |');
    expect(lines[header + 2]).toBe('| ERM | 19.00 | 9.00 |');
    expect(lines[header + 3]).toBe('| LDAM | 14.00 | failed 1/1 |');
  });

  it('lists every cell with its state, wall time, device-seconds and cost, and the totals', () => {
    expect(md).toContain('| ldam.s1.seed0 | d | failed: loss, diverged | — | — | — | — | — | — | — |');
    expect(md).toContain(
      '| erm.s0.seed0 | a | succeeded | 20.00 | 19.00 | 36.0 | cpu | cpu | 36.0 | 1.0000 |',
    );
    expect(md).toContain(
      '4 cells: 3 succeeded, 1 failed, 0 running; wall 108.0 s, 108.0 device-seconds, cost 3.0000',
    );
  });
});

describe('CSV results', () => {
  it('has one quoted row per cell that reads back to its values', () => {
    const rows = renderCsv(results).trimEnd().split('\r\n');
    expect(rows).toHaveLength(5);
    const header = rows[0]?.split(',') ?? [];
    const erm = rows[1]?.split(',') ?? [];
    expect(erm[header.indexOf('final_error')]).toBe('20');
    expect(erm[header.indexOf('device_seconds')]).toBe('36');
    expect(erm[header.indexOf('cost')]).toBe('1');
    expect(rows[4]).toContain('"loss, diverged"');
  });
});

describe('SVG chart', async () => {
  const svg = await renderSvg(results);
  // Vega writes each point's description as its aria-label; its position is a translate().
  const points = [
    ...svg.matchAll(
      /aria-label="([^"]+)" role="graphics-symbol" aria-roledescription="point" transform="translate\(([-\d.]+),([-\d.]+)\)"/g,
    ),
  ].map((p) => ({ label: p[1] ?? '', x: Number(p[2]), y: Number(p[3]) }));

  it('draws every measured method, setting and class as a point on its method line', () => {
    expect(points.map((p) => p.label.replace(/: class.*/, '')).sort()).toEqual([
      ...Array(2).fill(`ERM, ${results.settings[0]?.label}`),
      ...Array(2).fill(`ERM, ${results.settings[1]?.label}`),
      ...Array(2).fill(`LDAM, ${results.settings[0]?.label}`),
    ]);
    expect(svg.match(/aria-roledescription="line mark"/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    const erm = points.filter((p) => p.label.startsWith(`ERM, ${results.settings[0]?.label}`));
    // Error 0 sits on the plot's bottom edge, 100 on its top: the 200 px plot height apart.
    expect((erm[0]?.y ?? 0) - (erm[1]?.y ?? 0)).toBeCloseTo(200, 6);
    expect(erm[0]?.label).toContain('class 0 error 0.0%');
  });

  it('marks a method whose cells failed in the legend, in one standalone document', () => {
    expect(svg).toContain('LDAM (1 failed)');
    expect(svg.match(/<svg/g)).toHaveLength(1);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});

describe('paper-cifar results', () => {
  it("print the paper's number beside each cell the paper reports, and name the source", () => {
    const paper = aggregateResults({
      benchmarkId: 'b2',
      methods: [
        { name: 'ldam-drw', label: 'LDAM-DRW', paperRow: 'LDAM-DRW' },
        { name: 'erm-drs', label: 'ERM-DRS', paperRow: 'ERM-DRS' },
        { name: 'rs', label: 'RS' },
      ],
      settings: [{ index: 0, label: 'cifar100 step-10', paperColumn: 'cifar100-step-10' }],
      cells: [
        {
          id: 'ldam-drw.s0.seed0',
          method: 'ldam-drw',
          setting: 0,
          seed: 0,
          jobId: 'a',
          state: 'succeeded',
          metrics: m(41, []),
        },
        { id: 'erm-drs.s0.seed0', method: 'erm-drs', setting: 0, seed: 0, jobId: 'b', state: 'running' },
        {
          id: 'rs.s0.seed0',
          method: 'rs',
          setting: 0,
          seed: 0,
          jobId: 'c',
          state: 'succeeded',
          metrics: m(50, []),
        },
      ],
    });
    const md = renderMarkdown(paper);
    expect(md).toContain('| LDAM-DRW | 40.00 (paper 40.54) |');
    expect(md).toContain('| ERM-DRS | running (paper 43.21) |');
    expect(md).toContain('| RS | 49.00 |');
    expect(md).toContain('Cao et al., NeurIPS 2019');
    expect(md).toContain('### Top-5 error (%), best epoch on test');
    expect(md).toContain('| LDAM-DRW | 19.50 |');
  });
});
