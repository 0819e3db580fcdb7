// Training curves as Vega-Lite specs: one panel per metric, one line per run. Pure; the dashboard's
// job page and compare view draw them from the event stream's metric records.
import { chartSchemaUrl } from './per-class.ts';
import type { ChartSpec } from './render-svg.ts';

/** One metric value of one run at one epoch. */
export interface CurvePoint {
  readonly run: string;
  readonly metric: string;
  readonly epoch: number;
  readonly value: number;
}

/** The per-epoch metrics the curves show, with their panel titles (keys as the trainer records them). */
export const curveMetrics = [
  { key: 'train_loss', title: 'train loss' },
  { key: 'train_error', title: 'training error (running)' },
  { key: 'lr', title: 'learning rate' },
  { key: 'test_balanced_error', title: 'test balanced error' },
  { key: 'test_top1_error', title: 'test top-1 error' },
  { key: 'val_balanced_error', title: 'validation balanced error' },
  { key: 'val_top1_error', title: 'validation top-1 error' },
] as const;

/** Small multiples: a panel per metric that has points, runs told apart by colour. */
export function curvesSpec(points: readonly CurvePoint[], width = 300): ChartSpec {
  const present = curveMetrics.filter((m) => points.some((p) => p.metric === m.key));
  const titles = new Map<string, string>(curveMetrics.map((m) => [m.key, m.title]));
  const values = points
    .filter((p) => titles.has(p.metric) && Number.isFinite(p.value))
    .map((p) => ({
      ...p,
      panel: titles.get(p.metric),
      description: `${p.run}: ${titles.get(p.metric)} ${p.value.toPrecision(4)} at epoch ${p.epoch}`,
    }));
  return {
    $schema: chartSchemaUrl,
    background: 'white',
    data: { values },
    facet: {
      field: 'panel',
      type: 'nominal',
      sort: present.map((m) => m.title),
      header: { title: null, labelFontSize: 12 },
    },
    columns: 3,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width,
      height: 160,
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 }, scale: { zero: false } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'run', type: 'nominal', legend: { title: null, orient: 'bottom' } },
      },
      layer: [
        { mark: { type: 'line', strokeWidth: 1.8 } },
        {
          mark: { type: 'point', filled: true, size: 20 },
          encoding: { description: { field: 'description' } },
        },
      ],
    },
  };
}
