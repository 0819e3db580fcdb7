// The paper's Figure 3 view (Cao et al. 2019, fig. 3): per epoch, each run's error on the
// imbalanced training data (dotted) against its balanced test error (solid), runs told apart by
// colour, e.g. DRW vs RW vs RS. Pure; the dashboard's compare view draws it from metric events.
import type { CurvePoint } from './curves.ts';
import { chartSchemaUrl } from './per-class.ts';
import type { ChartSpec } from './render-svg.ts';

/** The two series and the metric keys the trainer records them under (trainer/events/metrics.ts). */
export const trainTestSeries = [
  { key: 'train_error', label: 'training error (imbalanced train set)', dash: [2, 3] },
  { key: 'test_balanced_error', label: 'balanced test error', dash: [1, 0] },
] as const;

export function trainTestErrorSpec(points: readonly CurvePoint[], width = 560): ChartSpec {
  const labels = new Map<string, string>(trainTestSeries.map((s) => [s.key, s.label]));
  const values = points
    .filter((p) => labels.has(p.metric) && Number.isFinite(p.value))
    .map((p) => ({
      run: p.run,
      epoch: p.epoch,
      error: p.value,
      series: labels.get(p.metric),
      description: `${p.run}: ${labels.get(p.metric)} ${(p.value * 100).toFixed(1)}% at epoch ${p.epoch}`,
    }));
  const domain = trainTestSeries.map((s) => s.label);
  return {
    $schema: chartSchemaUrl,
    title: { text: 'Training error (dotted) vs balanced test error (solid)', anchor: 'start' },
    background: 'white',
    data: { values },
    width,
    height: 260,
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 }, scale: { zero: false } },
      y: { field: 'error', type: 'quantitative', axis: { format: '%' }, title: 'error' },
      color: { field: 'run', type: 'nominal', legend: { title: null, orient: 'bottom' } },
    },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1.8 },
        encoding: {
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: { domain, range: trainTestSeries.map((s) => [...s.dash]) },
            legend: { title: null, orient: 'top', symbolType: 'stroke' },
          },
          detail: { field: 'series' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 18 },
        encoding: { description: { field: 'description' } },
      },
    ],
  };
}
