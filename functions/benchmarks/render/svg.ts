import { renderChartSvg } from '../../../trainer/reports/charts/render-svg.ts';
import type { BenchmarkResults } from '../aggregate.ts';
import { benchmarkPerClassSpec } from './per-class-chart.ts';

/** The results' per-class chart (per-class-chart.ts) as a standalone SVG. */
export function renderSvg(results: BenchmarkResults): Promise<string> {
  return renderChartSvg(benchmarkPerClassSpec(results));
}
