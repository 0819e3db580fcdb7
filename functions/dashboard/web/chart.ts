// Draws a Vega-Lite spec in the page with the same packages the server renders SVG files with.
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { ChartSpec } from '../../../trainer/reports/charts/render-svg.ts';

const views = new WeakMap<HTMLElement, View>();

/**
 * Replaces the container's chart. `data-drawn` is set once the marks are in the SVG (the renderer
 * adds the empty <svg> first), so tests and scripts can wait for a finished chart.
 */
export async function drawChart(container: HTMLElement, spec: ChartSpec): Promise<void> {
  delete container.dataset.drawn;
  views.get(container)?.finalize();
  const view = new View(parse(compile(spec).spec), { renderer: 'svg', container, hover: true });
  views.set(container, view);
  await view.runAsync();
  if (views.get(container) === view) container.dataset.drawn = 'true';
}
