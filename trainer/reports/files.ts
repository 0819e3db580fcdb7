// The report files a finished job stores, in the names and content types of the run layout.
import {
  formatContentTypes,
  type ReportFormat,
  reportChartFileNames,
  reportFileKey,
  reportFileNames,
} from '../store/run-layout.ts';
import type { Store } from '../store/store.ts';
import { confusionChartSpec } from './charts/confusion.ts';
import { reliabilityChartSpec } from './charts/reliability.ts';
import { type ChartSpec, renderChartSvg } from './charts/render-svg.ts';
import { reportToCsv } from './csv.ts';
import { reportToMarkdown } from './markdown.ts';
import type { Report } from './schema.ts';
import { reportToSvg } from './svg.ts';

type ReportFile = { readonly body: string; readonly contentType: string };

/** The report files by name: one per served format, plus the confusion and reliability charts. */
export async function renderReportFiles(report: Report): Promise<Record<string, ReportFile>> {
  const format = (f: ReportFormat, body: string) =>
    [reportFileNames[f], { body, contentType: formatContentTypes[f] }] as const;
  const chart = async (name: string, spec: ChartSpec) =>
    [name, { body: await renderChartSvg(spec), contentType: formatContentTypes.svg }] as const;
  const reliability = reliabilityChartSpec(report);
  return Object.fromEntries([
    format('json', `${JSON.stringify(report, null, 2)}\n`),
    format('csv', reportToCsv(report)),
    format('svg', await reportToSvg(report)),
    await chart(reportChartFileNames.confusion, confusionChartSpec(report)),
    // Only with calibration data.
    ...(reliability === null ? [] : [await chart(reportChartFileNames.reliability, reliability)]),
    format('md', reportToMarkdown(report)),
  ]);
}

/** Stores every file under runs/<jobId>/reports/; returns the keys written. */
export async function writeReportFiles(store: Store, jobId: string, report: Report): Promise<string[]> {
  const keys: string[] = [];
  for (const [name, file] of Object.entries(await renderReportFiles(report))) {
    const key = reportFileKey(jobId, name);
    await store.put(key, file.body, { contentType: file.contentType });
    keys.push(key);
  }
  return keys;
}
