import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import paperResults from './reference/paper-results.json' with { type: 'json' };

// The paper's published errors (Cao et al. 2019: top-1 in Tables 2, 5 and 6, top-1/top-5 in
// Tables 3 and 4, IMDB in Table 1), copied into the repository so the paper presets' results print
// beside them.

type PaperTable = {
  readonly columns: readonly string[];
  readonly rows: Readonly<Record<string, ReadonlyArray<number | null>>>;
};

const cifarTables: readonly PaperTable[] = [
  paperResults.table2_resnet32_cifar,
  paperResults.table5_ce_drw_vs_drs,
  paperResults.table6_resnet32_cifar10_imbalanced_test_top1,
];

// Tables 3 and 4 give [top-1, top-5] per cell; iNaturalist has one column (its natural distribution).
const tinyImagenet = paperResults.table4_resnet18_tiny_imagenet_top1_top5;
const inaturalist: Readonly<Record<string, readonly number[]>> =
  paperResults.table3_resnet50_inaturalist2018_top1_top5;
const tinyPrefix = 'tiny-imagenet-';
const inatColumn = 'inaturalist2018';

/** The paper's [top-1, top-5] error (%) of a Tiny ImageNet or iNaturalist cell. */
export function paperTopErrors(row: string, column: string): readonly [number, number] | undefined {
  const pair = column.startsWith(tinyPrefix)
    ? (tinyImagenet.rows as Record<string, readonly (readonly number[])[]>)[row]?.[
        tinyImagenet.columns.indexOf(column.slice(tinyPrefix.length))
      ]
    : column === inatColumn
      ? inaturalist[row]
      : undefined;
  const [top1, top5] = pair ?? [];
  return top1 === undefined || top5 === undefined ? undefined : [top1, top5];
}
// Table 1 (IMDB, step ρ = 10 on neg): [positive, negative, mean] error; cells show the mean.
const imdbColumn = 'imdb-step-10';
const imdbTable: Readonly<Record<string, readonly number[]>> =
  paperResults.table1_imdb_error_positive_negative_mean;

const imbalanceNames = { exp: 'long-tailed', step: 'step' } as const;

/**
 * The paper's column for a cell's dataset: `cifar10-exp-100` (Tables 2, 5), or for a known
 * imbalanced test set Table 6's `long-tailed train 100 / val 100 (a)` ((a) = test seed 0, (b) = 1);
 * undefined off the paper's grid.
 */
export function paperColumnOf(spec: ExperimentSpec): string | undefined {
  const { name, imbalance, testImbalance } = spec.dataset;
  if (name === 'inaturalist2018') return inatColumn;
  if (name === 'tiny-imagenet') {
    const column = `${imbalance.type}-${imbalance.ratio}`;
    return tinyImagenet.columns.includes(column) ? `${tinyPrefix}${column}` : undefined;
  }
  if (name === 'imdb')
    return imbalance.type === 'step' && imbalance.ratio === 10 && imbalance.minority?.join() === 'neg'
      ? imdbColumn
      : undefined;
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
  const large = paperTopErrors(row, column);
  if (large !== undefined) return large[0];
  if (column === imdbColumn) return imdbTable[row]?.[2];
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
