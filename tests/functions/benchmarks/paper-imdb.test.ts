import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandBenchmark } from '../../../functions/benchmarks/expand.ts';
import { parseBenchmarkSpec } from '../../../functions/benchmarks/parse.ts';
import { paperColumnOf, paperError } from '../../../functions/benchmarks/reference.ts';
import { parseExperimentSpecJson } from '../../../trainer/spec/index.ts';

describe('paper-imdb preset (Table 1)', () => {
  it('expands to ERM, RS, RW and LDAM-DRW on step ρ = 10 with neg as the minority, BiLSTM and Adam', () => {
    const expanded = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-imdb' }));
    expect(expanded.cells).toHaveLength(4);
    for (const cell of expanded.cells) {
      expect(cell.spec.model.arch).toBe('bilstm');
      expect(cell.spec.optimizer.type).toBe('adam');
      expect(cell.spec.dataset.imbalance).toEqual({ type: 'step', ratio: 10, minority: ['neg'] });
    }
    const rules = expanded.cells.map((c) => [
      c.spec.loss.type,
      c.spec.rebalance.rule,
      c.spec.rebalance.weighting,
    ]);
    expect(rules).toEqual([
      ['ce', 'none', 'class-balanced'],
      ['ce', 'resample', 'inverse-frequency'],
      ['ce', 'reweight', 'inverse-frequency'],
      ['ldam', 'drw', 'class-balanced'],
    ]);
  });

  it("prints the paper's mean error beside each cell", () => {
    const [cell] = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-imdb' })).cells;
    const column = paperColumnOf(cell?.spec ?? ({} as never));
    expect(column).toBe('imdb-step-10');
    expect(['ERM', 'RS', 'RW', 'LDAM-DRW'].map((row) => paperError(row, column ?? ''))).toEqual([
      36.82, 26.5, 23.66, 17.84,
    ]);
  });

  it('ships an imdb example spec that validates', () => {
    const spec = parseExperimentSpecJson(
      readFileSync(new URL('../../../examples/imdb.json', import.meta.url), 'utf8'),
    );
    expect(spec.dataset.name).toBe('imdb');
    expect(spec.model.arch).toBe('bilstm');
  });
});
