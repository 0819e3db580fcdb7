// The report's confusion matrix as a heatmap, rows = true class, columns = predicted, each row
// normalised so head and tail classes read on one colour scale.
import { chartSchemaUrl } from '../../../trainer/reports/charts/per-class.ts';
import type { ChartSpec } from '../../../trainer/reports/charts/render-svg.ts';
import type { Report } from '../../../trainer/reports/schema.ts';

export function confusionSpec(report: Report): ChartSpec {
  const names = report.classes.map((c) => c.name);
  const values = (report.final.confusion ?? []).flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => ({
      actual: names[t],
      predicted: names[p],
      count,
      share: total === 0 ? 0 : count / total,
      description: `${names[t]} predicted as ${names[p]}: ${count}`,
    }));
  });
  const size = Math.min(480, 24 * names.length);
  return {
    $schema: chartSchemaUrl,
    background: 'white',
    data: { values },
    width: size,
    height: size,
    mark: 'rect',
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: names, title: 'predicted' },
      y: { field: 'actual', type: 'ordinal', sort: names, title: 'true class' },
      color: {
        field: 'share',
        type: 'quantitative',
        scale: { scheme: 'blues', domain: [0, 1] },
        title: 'row share',
      },
      description: { field: 'description' },
    },
  };
}
