// The report files a finished job stores under runs/<jobId>/reports/.
import { runKey } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { confusionChartSpec } from './charts/confusion.ts';
import { reliabilityChartSpec } from './charts/reliability.ts';
import { renderChartSvg } from './charts/render-svg.ts';
import { reportToCsv } from './csv.ts';
import { reportToMarkdown } from './markdown.ts';
import type { Report } from './schema.ts';
import { reportToSvg } from './svg.ts';

/** The report files under runs/<jobId>/reports/, by name (reliability.svg only with calibration data). */
export async function renderReportFiles(
  report: Report,
): Promise<Record<string, { body: string; contentType: string }>> {
  const svg = 'image/svg+xml';
  const reliability = reliabilityChartSpec(report);
  return {
    'report.json': { body: `${JSON.stringify(report, null, 2)}\n`, contentType: 'application/json' },
    'per-class.csv': { body: reportToCsv(report), contentType: 'text/csv' },
    'per-class.svg': { body: await reportToSvg(report), contentType: svg },
    'confusion.svg': { body: await renderChartSvg(confusionChartSpec(report)), contentType: svg },
    ...(reliability === null
      ? {}
      : { 'reliability.svg': { body: await renderChartSvg(reliability), contentType: svg } }),
    'report.md': { body: reportToMarkdown(report), contentType: 'text/markdown' },
  };
}

export async function writeReportFiles(store: Store, jobId: string, report: Report): Promise<string[]> {
  const files = await renderReportFiles(report);
  const keys: string[] = [];
  for (const [name, file] of Object.entries(files)) {
    const key = runKey(jobId, 'reports', name);
    await store.put(key, file.body, { contentType: file.contentType });
    keys.push(key);
  }
  return keys;
}
