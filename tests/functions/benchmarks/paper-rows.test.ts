import { describe, expect, it } from 'vitest';
import { expandBenchmark } from '../../../functions/benchmarks/expand.ts';
import { methodPresets } from '../../../functions/benchmarks/methods.ts';
import { parseBenchmarkSpec } from '../../../functions/benchmarks/parse.ts';
import paperResults from '../../../functions/benchmarks/reference/paper-results.json' with { type: 'json' };
import { paperColumnOf, paperError } from '../../../functions/benchmarks/reference.ts';

describe('paper-cifar', () => {
  const expanded = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-cifar' }));
  const paperRowsOf = (table: { rows: Record<string, unknown> }) => Object.keys(table.rows);

  it('runs every row of Tables 2, 5 and 6', () => {
    const rows = new Set(expanded.methods.map((m) => m.paperRow));
    for (const table of [
      paperResults.table2_resnet32_cifar,
      paperResults.table5_ce_drw_vs_drs,
      paperResults.table6_resnet32_cifar10_imbalanced_test_top1,
    ])
      for (const row of paperRowsOf(table))
        expect([...rows].some((r) => r?.replace(/[\s-]/g, '') === row.replace(/[\s-]/g, ''))).toBe(true);
  });

  it("maps each setting to the paper's column, Table 6's (a)/(b) by the test permutation seed", () => {
    const columns = new Set(expanded.cells.map((c) => paperColumnOf(c.spec)));
    expect(columns.size).toBe(16);
    for (const column of paperResults.table6_resnet32_cifar10_imbalanced_test_top1.columns)
      expect(columns).toContain(column);
    const cell = expanded.cells.find((c) => c.id === `cb-rw.s${8}.seed0`);
    expect(cell?.spec.dataset.testImbalance).toEqual({ type: 'exp', ratio: 100, seed: 0 });
    expect(paperColumnOf(cell?.spec ?? expanded.cells[0]?.spec ?? ({} as never))).toBe(
      'long-tailed train 100 / val 100 (a)',
    );
  });

  it("gives the paper's value, null for a cell the paper left empty, undefined off its grid", () => {
    expect(paperError('CB RW', 'long-tailed train 100 / val 100 (a)')).toBe(20.86);
    expect(paperError('LDAM-DRW', 'long-tailed train 100 / val 100 (a)')).toBe(14.4);
    expect(paperError('M-DRW', 'cifar10-step-100')).toBe(27.67);
    expect(paperError('HG-DRS', 'cifar100-exp-100')).toBeNull();
    expect(paperError('Focal', 'long-tailed train 100 / val 100 (a)')).toBeUndefined();
    expect(methodPresets['ldam-hg-drs'].paperRow).toBe('LDAM-HG-DRS');
  });
});
