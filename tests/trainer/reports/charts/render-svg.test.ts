import { describe, expect, it } from 'vitest';
import { renderChartSvg } from '../../../../trainer/reports/charts/render-svg.ts';

describe('renderChartSvg (Vega-Lite in Node)', () => {
  it('draws one bar per datum with the axis title from the spec', async () => {
    const svg = await renderChartSvg({
      data: {
        values: [
          { cls: 'head', error: 0.1 },
          { cls: 'mid', error: 0.3 },
          { cls: 'tail', error: 0.6 },
        ],
      },
      mark: 'bar',
      encoding: {
        x: { field: 'cls', type: 'nominal', sort: null },
        y: { field: 'error', type: 'quantitative', title: 'balanced error' },
      },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('balanced error');
    expect(svg.match(/class="mark-rect role-mark/g)?.length).toBe(1);
    expect(svg.match(/<path aria-label="cls: /g)?.length).toBe(3);
  });

  it('rejects a spec Vega-Lite cannot compile', async () => {
    await expect(renderChartSvg({ mark: 'nonsense' } as never)).rejects.toThrow();
  });
});
