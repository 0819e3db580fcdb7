// Per-class final error of several runs overlaid, classes head → tail by the first run's training
// counts (runs of one comparison share a dataset). Pure; the dashboard's compare view draws it.
import type { Report } from '../schema.ts';
import { chartSchemaUrl, classLabel, headToTail } from './per-class.ts';
import type { ChartSpec } from './render-svg.ts';

export function perClassCompareSpec(
  runs: readonly { run: string; report: Report }[],
  width = 700,
): ChartSpec {
  const first = runs[0]?.report;
  const classes = first === undefined ? [] : headToTail(first.classes);
  const order = classes.map((c) => classLabel(c, classes.length));
  const values = runs.flatMap(({ run, report }) =>
    classes.flatMap((c, rank) => {
      const error = report.final.perClassError[c.index];
      return error === null || error === undefined
        ? []
        : [
            {
              run,
              label: order[rank],
              error,
              description: `${run}: ${c.name} error ${(error * 100).toFixed(1)}%`,
            },
          ];
    }),
  );
  return {
    $schema: chartSchemaUrl,
    title: { text: 'Per-class final error (head → tail)', anchor: 'start' },
    background: 'white',
    data: { values },
    width,
    height: 240,
    encoding: {
      x: { field: 'label', type: 'ordinal', sort: order, title: null, axis: { labelAngle: -45 } },
      y: {
        field: 'error',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { format: '%' },
        title: 'error',
      },
      color: { field: 'run', type: 'nominal', legend: { title: null, orient: 'top' } },
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.5 } },
      {
        mark: { type: 'point', filled: true, size: 30 },
        encoding: { description: { field: 'description' } },
      },
    ],
  };
}
