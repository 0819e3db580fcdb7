import { describe, expect, it } from 'vitest';
import type { CurvePoint } from '../../../../trainer/reports/charts/curves.ts';
import { renderChartSvg } from '../../../../trainer/reports/charts/render-svg.ts';
import { trainTestErrorSpec } from '../../../../trainer/reports/charts/train-test-error.ts';

// Three runs as in the paper's Figure 3: training error (dotted) and balanced test error (solid).
const points: CurvePoint[] = ['DRW', 'RW', 'RS'].flatMap((run, r) =>
  [1, 2, 3].flatMap((epoch) => [
    { run, metric: 'train_error', epoch, value: 0.5 / epoch - r * 0.01 },
    { run, metric: 'test_balanced_error', epoch, value: 0.6 / epoch + r * 0.02 },
    // Other metrics of the same events are left out of this view.
    { run, metric: 'train_loss', epoch, value: 2 / epoch },
  ]),
);

describe("the compare view's training vs test error chart", () => {
  it('draws a dotted training-error line and a solid test-error line per run', async () => {
    const svg = await renderChartSvg(trainTestErrorSpec(points));
    const lines = [...svg.matchAll(/<path [^>]*aria-roledescription="line mark"[^>]*>/g)].map((m) => m[0]);
    expect(lines).toHaveLength(6);
    const dotted = lines.filter((l) => l.includes('stroke-dasharray="2,3"'));
    expect(dotted).toHaveLength(3);
    // Each dotted line is a run's training error, each solid one its balanced test error.
    for (const line of dotted) expect(line).toContain('series: training error');
    expect(
      lines
        .filter((l) => l.includes('stroke-dasharray="1,0"'))
        .every((l) => l.includes('series: balanced test error')),
    ).toBe(true);
    const marks = [
      ...svg.matchAll(/aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g),
    ].map((m) => m[1]);
    expect(marks).toHaveLength(18);
    expect(marks).toContain('RW: training error (imbalanced train set) 49.0% at epoch 1');
    expect(marks).toContain('RS: balanced test error 64.0% at epoch 1');
    expect(svg).not.toContain('train_loss');
  });
});
