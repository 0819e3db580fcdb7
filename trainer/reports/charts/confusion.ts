import type { Report } from '../schema.ts';
import type { ChartSpec } from './render-svg.ts';

/** Classes up to which the chart is the full K×K heatmap; above it lists the top confusions. */
export const heatmapMaxClasses = 30;

/**
 * The final epoch's confusions: a row-normalised K×K heatmap (true × predicted) for small K, and
 * above `heatmapMaxClasses` a bar chart of the most frequent (true → predicted) mistakes, so the
 * chart stays readable at 200 or 8,142 classes.
 */
export function confusionChartSpec(report: Report): ChartSpec {
  const name = (c: number) => `${c} ${report.classes[c]?.name ?? ''}`.trim();
  const { confusion, topConfusions, perClassCount } = report.final;
  const title = `Confusions: ${report.spec.dataset.name}, epoch ${report.final.epoch}`;
  if (confusion !== null && report.classes.length <= heatmapMaxClasses) {
    const order = report.classes.map((c) => name(c.index));
    const values = confusion.flatMap((row, y) =>
      row.map((n, yHat) => ({
        actual: name(y),
        predicted: name(yHat),
        share: n / Math.max(1, perClassCount[y] ?? 0),
        images: n,
      })),
    );
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: title, subtitle: 'share of each true class predicted as each class' },
      data: { values },
      mark: 'rect',
      encoding: {
        x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted class' },
        y: { field: 'actual', type: 'ordinal', sort: order, title: 'true class' },
        color: {
          field: 'share',
          type: 'quantitative',
          scale: { scheme: 'blues', domain: [0, 1] },
          title: 'share',
        },
        tooltip: [{ field: 'actual' }, { field: 'predicted' }, { field: 'images', type: 'quantitative' }],
      },
    };
  }
  const values = topConfusions.map((p) => ({
    pair: `${name(p.trueClass)} → ${name(p.predicted)}`,
    images: p.count,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: `the ${values.length} most frequent mistakes of ${report.classes.length} classes`,
    },
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'pair', type: 'nominal', sort: '-x', title: 'true → predicted' },
      x: { field: 'images', type: 'quantitative', title: 'test images' },
    },
  };
}
