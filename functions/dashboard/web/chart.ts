// Draws a Vega-Lite spec in the page with the same packages the server renders SVG files with.
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { ChartSpec } from '../../../trainer/reports/charts/render-svg.ts';

const views = new WeakMap<HTMLElement, View>();

export async function drawChart(container: HTMLElement, spec: ChartSpec): Promise<void> {
  views.get(container)?.finalize();
  const view = new View(parse(compile(spec).spec), { renderer: 'svg', container, hover: true });
  views.set(container, view);
  await view.runAsync();
}
