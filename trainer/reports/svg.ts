import { perClassChartSpec } from './charts/per-class.ts';
import { renderChartSvg } from './charts/render-svg.ts';
import type { Report } from './schema.ts';

/** per-class.svg: the report's per-class chart (charts/per-class.ts) drawn without a browser. */
export function reportToSvg(report: Report): Promise<string> {
  return renderChartSvg(perClassChartSpec(report));
}
