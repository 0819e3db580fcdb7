import { describe, expect, it } from 'vitest';
import { EvaluationAccumulator } from '../../../trainer/metrics/index.ts';
import { confusionChartSpec } from '../../../trainer/reports/charts/confusion.ts';
import { reliabilityChartSpec } from '../../../trainer/reports/charts/reliability.ts';
import { renderChartSvg } from '../../../trainer/reports/charts/render-svg.ts';
import { parseReport, type Report, reportToCsv, reportToMarkdown } from '../../../trainer/reports/index.ts';
import { sampleReport } from './sample-report.ts';

// A K-class report: class c has ⌈1000/(c+1)⌉ training images and 2 test images; a class whose
// index is a multiple of 7 gets both wrong (predicted as the next class), others one of two.
function largeReport(k: number): Report {
  const trainCounts = Array.from({ length: k }, (_, c) => Math.ceil(1000 / (c + 1)));
  const evaluation = () => {
    const a = new EvaluationAccumulator({ numClasses: k, trainCounts });
    const labels: number[] = [];
    const predictions: number[] = [];
    for (let c = 0; c < k; c++) {
      labels.push(c, c);
      predictions.push((c + 1) % k, c % 7 === 0 ? (c + 1) % k : c);
    }
    a.addPredictions(Int32Array.from(labels), Int32Array.from(predictions));
    return a.finish();
  };
  const base = sampleReport();
  return parseReport({
    ...base,
    spec: { ...base.spec, dataset: { ...base.spec.dataset, name: 'custom', numClasses: k } },
    classes: trainCounts.map((trainCount, index) => ({ index, name: `species ${index}`, trainCount })),
    final: { epoch: 10, split: 'test', ...evaluation() },
    best: { epoch: 7, split: 'test', chosenOn: 'test', ...evaluation() },
    bestOnTest: { epoch: 7, split: 'test', ...evaluation() },
  });
}

describe.each([200, 8142])('a report with %i classes', (k) => {
  const report = largeReport(k);
  const markdown = reportToMarkdown(report);

  it('keeps the confusion matrix dense up to 200 classes and sparse above', () => {
    expect(report.final.confusion === null).toBe(k > 200);
    expect(report.final.topConfusions[0]?.count).toBe(2);
  });

  it('lists rank bins and the 20 worst classes in Markdown instead of every class', () => {
    const perClass = markdown.split('## Per class')[1]?.split('## Most frequent')[0] ?? '';
    const rows = perClass.split('\n').filter((l) => /^\| \d/.test(l));
    expect(rows.length).toBe(20 + 20);
    expect(perClass).toContain(`| 1–${Math.round(k / 20)} |`);
    expect(perClass).toContain('Worst 20 classes');
    // Worst = both images wrong (multiples of 7), the rarest first.
    const worst = rows.slice(20).map((l) => Number(l.split('|')[1]));
    expect(worst.every((c) => c % 7 === 0)).toBe(true);
    const counts = worst.map((c) => report.classes[c]?.trainCount ?? 0);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it('keeps every class in the CSV', () => {
    expect(reportToCsv(report).trim().split('\r\n')).toHaveLength(k + 1);
  });

  it('charts the top confusions as bars, not a K×K heatmap', async () => {
    const svg = await renderChartSvg(confusionChartSpec(report));
    expect(svg).toContain('true → predicted');
    expect(svg.length).toBeLessThan(200_000);
    expect(reliabilityChartSpec(report)).toBeNull();
  });
});

describe('small-K charts', () => {
  it('draws a heatmap of 10×10 cells and a reliability diagram with the ECE in its subtitle', async () => {
    const report = parseReport(sampleReport());
    const heatmap = await renderChartSvg(confusionChartSpec(report));
    expect(heatmap.match(/<path aria-label="predicted class: /g)?.length).toBe(100);
    const spec = reliabilityChartSpec(report);
    const svg = await renderChartSvg(spec ?? ({} as never));
    expect(svg).toContain(`ECE ${((report.final.calibration?.ece ?? 0) * 100).toFixed(2)}% over 15 bins`);
  });
});
