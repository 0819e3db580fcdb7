import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import paperResults from './reference/paper-results.json' with { type: 'json' };

// The paper's published top-1 errors (Cao et al. 2019, Tables 2, 5 and 6), copied into the
// repository so `paper-cifar` results print beside them.

type PaperTable = {
  readonly columns: readonly string[];
  readonly rows: Readonly<Record<string, ReadonlyArray<number | null>>>;
};

const cifarTables: readonly PaperTable[] = [
  paperResults.table2_resnet32_cifar,
  paperResults.table5_ce_drw_vs_drs,
  paperResults.table6_resnet32_cifar10_imbalanced_test_top1,
];

const imbalanceNames = { exp: 'long-tailed', step: 'step' } as const;

/**
 * The paper's column for a cell's dataset: `cifar10-exp-100` (Tables 2, 5), or for a known
 * imbalanced test set Table 6's `long-tailed train 100 / val 100 (a)` ((a) = test seed 0, (b) = 1);
 * undefined off the paper's grid.
 */
export function paperColumnOf(spec: ExperimentSpec): string | undefined {
  const { name, imbalance, testImbalance } = spec.dataset;
  if (name !== 'cifar10' && name !== 'cifar100') return undefined;
  let column = `${name}-${imbalance.type}-${imbalance.ratio}`;
  if (testImbalance !== undefined) {
    if (name !== 'cifar10' || imbalance.type === 'none' || testImbalance.type !== imbalance.type)
      return undefined;
    const run = ['a', 'b'][testImbalance.seed];
    column = `${imbalanceNames[imbalance.type]} train ${imbalance.ratio} / val ${testImbalance.ratio} (${run})`;
  }
  return cifarTables.some((t) => t.columns.includes(column)) ? column : undefined;
}

// Table 6 spells CB-RW with a hyphen where Table 2 has a space.
const sameRow = (a: string, b: string): boolean => a.replaceAll(/[\s-]/g, '') === b.replaceAll(/[\s-]/g, '');

/**
 * The paper's top-1 error (%) for a row and column; null when the paper has the row and column but
 * left the cell empty (HG-DRS on CIFAR-100); undefined when it never ran that row there.
 */
export function paperError(row: string, column: string): number | null | undefined {
  let empty = false;
  for (const table of cifarTables) {
    const index = table.columns.indexOf(column);
    const key = Object.keys(table.rows).find((r) => sameRow(r, row));
    if (index < 0 || key === undefined) continue;
    const value = table.rows[key]?.[index];
    if (typeof value === 'number') return value;
    empty = true;
  }
  return empty ? null : undefined;
}

export const paperSource: string = paperResults.source;
