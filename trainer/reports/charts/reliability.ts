import type { Report } from '../schema.ts';
import type { ChartSpec } from './render-svg.ts';

/**
 * Reliability diagram of the final evaluation (Guo et al. 2017, fig. 1): accuracy per confidence
 * bin as bars, the bins' mean confidence as ticks and the diagonal of perfect calibration; ECE in
 * the title. Undefined (null) without calibration data (a migrated v1 report).
 */
export function reliabilityChartSpec(report: Report): ChartSpec | null {
  const calibration = report.final.calibration;
  if (calibration === null) return null;
  const bins = calibration.reliability
    .filter((b) => b.count > 0)
    .map((b) => ({
      lower: b.lower,
      upper: b.upper,
      count: b.count,
      accuracy: b.accuracy,
      confidence: b.confidence,
    }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Reliability: ${report.spec.dataset.name}, epoch ${report.final.epoch}`,
      subtitle: `ECE ${(calibration.ece * 100).toFixed(2)}% over ${calibration.bins} bins (softmax of ${calibration.logitScale}·logits), job ${report.jobId}`,
    },
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: bins },
        mark: { type: 'bar', color: '#1f77b4', opacity: 0.8 },
        encoding: {
          x: { field: 'lower', type: 'quantitative', title: 'top-1 confidence', scale: { domain: [0, 1] } },
          x2: { field: 'upper' },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
          tooltip: [
            { field: 'count', type: 'quantitative', title: 'images' },
            { field: 'confidence', type: 'quantitative', format: '.3f' },
            { field: 'accuracy', type: 'quantitative', format: '.3f' },
          ],
        },
      },
      {
        data: { values: bins },
        mark: { type: 'tick', color: '#d62728', thickness: 2 },
        encoding: {
          x: { field: 'confidence', type: 'quantitative' },
          y: { field: 'confidence', type: 'quantitative' },
        },
      },
      {
        data: { values: [{ v: 0 }, { v: 1 }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'v', type: 'quantitative' } },
      },
    ],
  };
}
