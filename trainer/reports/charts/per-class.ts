// The report's per-class chart as a Vega-Lite spec: classes sorted head → tail, training images on
// a log axis above, final (circles) and best (squares) error below. Pure; renderChartSvg draws it
// into per-class.svg and the dashboard draws the same spec in the page.
import type { Report } from '../schema.ts';
import type { ChartSpec } from './render-svg.ts';

export const chartSchemaUrl = 'https://vega.github.io/schema/vega-lite/v6.json';
export const seriesColors = { count: '#9e9e9e', final: '#1f77b4', best: '#d62728' } as const;

/** Classes head → tail (most training images first), ties by index. */
export function headToTail(classes: Report['classes']): Report['classes'] {
  return [...classes].sort((a, b) => b.trainCount - a.trainCount || a.index - b.index);
}

/** Axis labels: class names fit up to ~30 classes; beyond that, class indices. */
export function classLabel(c: Report['classes'][number], classCount: number): string {
  return classCount <= 30 ? c.name : String(c.index);
}

/**
 * Decade bounds for positive counts: the top is the first power of ten ≥ max, the bottom the power
 * of ten strictly below min, so the smallest bar keeps a visible height.
 */
export function decadeDomain(values: readonly number[]): { lo: number; hi: number } {
  const lo = 10 ** (Math.ceil(Math.log10(Math.min(...values))) - 1);
  const hi = Math.max(10 ** Math.ceil(Math.log10(Math.max(...values))), lo * 10);
  return { lo, hi };
}

interface PerClassRows {
  readonly order: string[];
  readonly counts: { label: string; classIndex: number; trainCount: number; description: string }[];
  readonly points: {
    label: string;
    classIndex: number;
    series: string;
    error: number;
    description: string;
  }[];
  readonly seriesLabels: readonly [string, string];
}

/** The chart's data: one count row per class and one point per class and series (final, best). */
function perClassRows(report: Report): PerClassRows {
  const classes = headToTail(report.classes);
  const order = classes.map((c) => classLabel(c, classes.length));
  const split = report.final.split;
  const finalLabel = `final (epoch ${report.final.epoch})`;
  const bestLabel = `best (epoch ${report.best.epoch}, chosen on ${report.best.chosenOn})`;
  const counts = classes.map((c) => ({
    label: classLabel(c, classes.length),
    classIndex: c.index,
    trainCount: Math.max(1, c.trainCount),
    description: `${c.name}: ${c.trainCount} training images`,
  }));
  const points = classes.flatMap((c) =>
    (
      [
        [finalLabel, report.final.perClassError[c.index]],
        [bestLabel, report.best.perClassError[c.index]],
      ] as const
    ).flatMap(([series, error]) =>
      error === null || error === undefined
        ? []
        : [
            {
              label: classLabel(c, classes.length),
              classIndex: c.index,
              series,
              error,
              description: `${c.name}: ${series} ${split} error ${(error * 100).toFixed(1)}%`,
            },
          ],
    ),
  );
  return { order, counts, points, seriesLabels: [finalLabel, bestLabel] };
}

export function perClassChartSpec(report: Report, width = 700): ChartSpec {
  const rows = perClassRows(report);
  const split = report.final.split;
  const x = { field: 'label', type: 'ordinal', sort: rows.order, title: null } as const;
  return {
    $schema: chartSchemaUrl,
    title: {
      text: `Per-class ${split} error vs training images: ${report.spec.dataset.name}`,
      subtitle: `job ${report.jobId}`,
      anchor: 'start',
    },
    background: 'white',
    vconcat: [countPanel(rows, x, width), errorPanel(rows, x, width, split)],
  };
}

/** One panel of a vertical concatenation, derived from the public top-level type. */
type Panel = Extract<ChartSpec, { vconcat: unknown }>['vconcat'][number];

type OrdinalX = {
  readonly field: 'label';
  readonly type: 'ordinal';
  readonly sort: string[];
  readonly title: null;
};

/** Training images per class as bars on a log axis. */
function countPanel(rows: PerClassRows, x: OrdinalX, width: number): Panel {
  const { lo, hi } = decadeDomain(rows.counts.map((c) => c.trainCount));
  return {
    data: { values: rows.counts },
    width,
    height: 120,
    mark: { type: 'bar', color: seriesColors.count },
    encoding: {
      x: { ...x, axis: { labels: false, ticks: false } },
      y: {
        field: 'trainCount',
        type: 'quantitative',
        scale: { type: 'log', domain: [lo, hi] },
        title: 'training images (log)',
      },
      // A log axis has no zero: bars rise from the decade below the smallest count.
      y2: { datum: lo },
      description: { field: 'description' },
    },
  };
}

/** Final (circles) and best (squares) error per class. */
function errorPanel(rows: PerClassRows, x: OrdinalX, width: number, split: string): Panel {
  const domain = [...rows.seriesLabels];
  return {
    data: { values: rows.points },
    width,
    height: 220,
    mark: { type: 'point', filled: false, strokeWidth: 1.5, size: 40 },
    encoding: {
      x: { ...x, axis: { labelAngle: -45 }, title: 'classes, sorted by training images (head → tail)' },
      y: {
        field: 'error',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { format: '%' },
        title: `${split} error`,
      },
      shape: {
        field: 'series',
        scale: { domain, range: ['circle', 'square'] },
        legend: { title: null, orient: 'top' },
      },
      color: {
        field: 'series',
        scale: { domain, range: [seriesColors.final, seriesColors.best] },
        legend: { title: null, orient: 'top' },
      },
      description: { field: 'description' },
    },
  };
}
