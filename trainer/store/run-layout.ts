// What a job keeps under runs/<jobId>/, named once for every reader and writer (API and trainer):
// the spec, the run description and the report files with their content types. Checkpoints have
// their own layout (checkpoint/layout.ts), as do the event log and the shipped logs.
import { runKey } from './keys.ts';

export const jsonContentType = 'application/json';

/** The experiment spec the job runs (written once, by the API or the first attempt given --spec). */
export const specKey = (jobId: string): string => runKey(jobId, 'spec.json');

/** Which trainer, backend and host ran the latest attempt, and its memory plan. */
export const runInfoKey = (jobId: string): string => runKey(jobId, 'run.json');

export const reportFormats = ['json', 'csv', 'svg', 'md'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** One content type per format: the one stored with the object is the one the API serves. */
export const formatContentTypes: Readonly<Record<ReportFormat, string>> = {
  json: jsonContentType,
  csv: 'text/csv; charset=utf-8',
  svg: 'image/svg+xml',
  md: 'text/markdown; charset=utf-8',
};

/** The report files of a finished job, under runs/<jobId>/reports/. */
export const reportFileNames: Readonly<Record<ReportFormat, string>> = {
  json: 'report.json',
  csv: 'per-class.csv',
  svg: 'per-class.svg',
  md: 'report.md',
};

/** Charts stored beside the report files, read as artifacts (not served as a report format). */
export const reportChartFileNames = { confusion: 'confusion.svg', reliability: 'reliability.svg' } as const;

export const reportFileKey = (jobId: string, name: string): string => runKey(jobId, 'reports', name);

export const reportKey = (jobId: string, format: ReportFormat): string =>
  reportFileKey(jobId, reportFileNames[format]);
