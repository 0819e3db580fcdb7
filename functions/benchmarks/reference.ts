import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import paperResults from './reference/paper-results.json' with { type: 'json' };

// The paper's published errors (Cao et al. 2019: top-1 in Tables 2 and 5, top-1/top-5 in Tables 3
// and 4), copied into the repository so the paper presets' results print beside them.

type PaperTable = {
  readonly columns: readonly string[];
  readonly rows: Readonly<Record<string, ReadonlyArray<number | null>>>;
};

const cifarTables: readonly PaperTable[] = [
  paperResults.table2_resnet32_cifar,
  paperResults.table5_ce_drw_vs_drs,
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

/** The paper's column name for a cell's dataset, e.g. `cifar10-exp-100`; undefined off the paper's grid. */
export function paperColumnOf(spec: ExperimentSpec): string | undefined {
  const { name, imbalance } = spec.dataset;
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
  const column = `${name}-${imbalance.type}-${imbalance.ratio}`;
  return cifarTables.some((t) => t.columns.includes(column)) ? column : undefined;
}

/** The paper's top-1 error (%) for a row and column; Table 2 first, then Table 5 (ERM-DRW/DRS). */
export function paperError(row: string, column: string): number | undefined {
  const large = paperTopErrors(row, column);
  if (large !== undefined) return large[0];
  if (column === imdbColumn) return imdbTable[row]?.[2];
  for (const table of cifarTables) {
    const index = table.columns.indexOf(column);
    const value = table.rows[row]?.[index];
    if (index >= 0 && typeof value === 'number') return value;
  }
  return undefined;
}

export const paperSource: string = paperResults.source;
