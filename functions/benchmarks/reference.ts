import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import paperResults from './reference/paper-results.json' with { type: 'json' };

// The paper's published top-1 errors (Cao et al. 2019, Tables 2 and 5), copied into the repository
// so `paper-cifar` results print beside them.

type PaperTable = {
  readonly columns: readonly string[];
  readonly rows: Readonly<Record<string, ReadonlyArray<number | null>>>;
};

const cifarTables: readonly PaperTable[] = [
  paperResults.table2_resnet32_cifar,
  paperResults.table5_ce_drw_vs_drs,
];

// Table 1 (IMDB, step ρ = 10 on neg): [positive, negative, mean] error; cells show the mean.
const imdbColumn = 'imdb-step-10';
const imdbTable: Readonly<Record<string, readonly number[]>> =
  paperResults.table1_imdb_error_positive_negative_mean;

/** The paper's column name for a cell's dataset, e.g. `cifar10-exp-100`; undefined off the paper's grid. */
export function paperColumnOf(spec: ExperimentSpec): string | undefined {
  const { name, imbalance } = spec.dataset;
  if (name === 'imdb')
    return imbalance.type === 'step' && imbalance.ratio === 10 && imbalance.minority?.join() === 'neg'
      ? imdbColumn
      : undefined;
  if (name !== 'cifar10' && name !== 'cifar100') return undefined;
  const column = `${name}-${imbalance.type}-${imbalance.ratio}`;
  return cifarTables.some((t) => t.columns.includes(column)) ? column : undefined;
}

/** The paper's top-1 error (%) for a row and column; Table 2 first, then Table 5 (ERM-DRW/DRS). */
export function paperError(row: string, column: string): number | undefined {
  if (column === imdbColumn) return imdbTable[row]?.[2];
  for (const table of cifarTables) {
    const index = table.columns.indexOf(column);
    const value = table.rows[row]?.[index];
    if (index >= 0 && typeof value === 'number') return value;
  }
  return undefined;
}

export const paperSource: string = paperResults.source;
