// The report files a finished job stores, in the names and content types of the run layout.
import { formatContentTypes, type ReportFormat, reportFormats, reportKey } from '../store/run-layout.ts';
import type { Store } from '../store/store.ts';
import { reportToCsv } from './csv.ts';
import { reportToMarkdown } from './markdown.ts';
import type { Report } from './schema.ts';
import { reportToSvg } from './svg.ts';

/** Each report format's file body. */
export async function renderReportFiles(report: Report): Promise<Record<ReportFormat, string>> {
  return {
    json: `${JSON.stringify(report, null, 2)}\n`,
    csv: reportToCsv(report),
    svg: await reportToSvg(report),
    md: reportToMarkdown(report),
  };
}

/** Stores every format under runs/<jobId>/reports/; returns the keys written. */
export async function writeReportFiles(store: Store, jobId: string, report: Report): Promise<string[]> {
  const bodies = await renderReportFiles(report);
  const keys: string[] = [];
  for (const format of reportFormats) {
    const key = reportKey(jobId, format);
    await store.put(key, bodies[format], { contentType: formatContentTypes[format] });
    keys.push(key);
  }
  return keys;
}
