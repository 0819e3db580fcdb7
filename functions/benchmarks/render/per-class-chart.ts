// The benchmark's per-class chart as a Vega-Lite spec: one panel per setting, one line per
// method over the classes in label order (head first for long-tailed and step splits), mean over
// seeds. Pure; the results route and the dashboard draw the same spec.
import { chartSchemaUrl } from '../../../trainer/reports/charts/per-class.ts';
import type { ChartSpec } from '../../../trainer/reports/charts/render-svg.ts';
import type { BenchmarkResults } from '../aggregate.ts';

export const methodPalette = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** A method's legend entry, saying when its cells failed or it has nothing to draw yet. */
export function methodLegendLabel(
  results: BenchmarkResults,
  method: BenchmarkResults['methods'][number],
): string {
  const groups = results.groups.filter((g) => g.method === method.name);
  const measured = groups.some((g) => g.perClassError !== null);
  const failed = groups.reduce((a, g) => a + g.counts.failed, 0);
  if (measured) return failed > 0 ? `${method.label} (${failed} failed)` : method.label;
  return `${method.label} ${failed > 0 ? '(failed)' : '(no data)'}`;
}

export function benchmarkPerClassSpec(results: BenchmarkResults): ChartSpec {
  const legend = results.methods.map((m) => methodLegendLabel(results, m));
  const settings = results.settings.map((s) => s.label);
  const rows = results.groups.flatMap((group) => {
    const methodIndex = results.methods.findIndex((m) => m.name === group.method);
    const setting = results.settings.find((s) => s.index === group.setting)?.label;
    const method = legend[methodIndex];
    if (method === undefined || setting === undefined) return [];
    return (group.perClassError ?? []).flatMap((error, classIndex) =>
      error === null
        ? []
        : [
            {
              setting,
              method,
              classIndex,
              error,
              description: `${results.methods[methodIndex]?.label}, ${setting}: class ${classIndex} error ${error.toFixed(1)}%`,
            },
          ],
    );
  });
  return {
    $schema: chartSchemaUrl,
    title: `${results.name ?? results.benchmarkId}: per-class top-1 error by method`,
    background: 'white',
    data: { values: rows },
    facet: { field: 'setting', type: 'nominal', sort: settings, header: { title: null } },
    columns: Math.min(2, Math.max(1, settings.length)),
    spec: {
      width: 360,
      height: 200,
      encoding: {
        x: {
          field: 'classIndex',
          type: 'quantitative',
          title: 'class (head → tail)',
          axis: { tickMinStep: 1 },
        },
        y: { field: 'error', type: 'quantitative', scale: { domain: [0, 100] }, title: 'error %' },
        color: {
          field: 'method',
          type: 'nominal',
          scale: {
            domain: legend,
            range: legend.map((_, i) => methodPalette[i % methodPalette.length] as string),
          },
          legend: { title: null },
        },
      },
      layer: [
        { mark: { type: 'line', strokeWidth: 1.8 } },
        {
          mark: { type: 'point', filled: true, size: 16 },
          encoding: { description: { field: 'description' } },
        },
      ],
    },
  };
}
