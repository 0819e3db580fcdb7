import { parse, View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

/**
 * Renders a Vega-Lite spec to a standalone SVG string, in Node without a browser or canvas (text
 * widths are estimated). The one chart path of the product: report files, benchmark renderers and
 * the dashboard draw the same specs, so a chart looks the same in a file and on the page.
 */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
