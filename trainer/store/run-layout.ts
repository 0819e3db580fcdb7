// What a job keeps under runs/<jobId>/, named once for every reader and writer (API and trainer):
// the spec, the run description, the report files with their content types and the stored logits.
// Checkpoints have their own layout (checkpoint/layout.ts), as do the event log and the shipped logs.
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

/** The evaluated epochs whose logits are stored: the last one, and the best (chosen as report.best is). */
export const logitsPoints = ['final', 'best'] as const;
export type LogitsPoint = (typeof logitsPoints)[number];
export const logitsSplits = ['test', 'validation'] as const;
export type LogitsSplit = (typeof logitsSplits)[number];

/**
 * runs/<jobId>/logits/<point>-<split>.bin: one split's logits at one epoch, rewritten when the
 * best epoch moves. Little-endian, in this order (logits-artifact.ts reads and writes it):
 *   4 bytes  ASCII "LGT1"
 *   uint32   H, the byte length of the header
 *   H bytes  UTF-8 JSON header { version: 1, point, split, epoch, count N, numClasses K,
 *            head: { squaredNorms: K numbers, bias: K numbers | null } | null } padded with spaces
 *            so the arrays below start on a 4-byte boundary (head: the linear classifier, for τ-norm)
 *   int32    labels[N]
 *   float32  logits[N × K], row-major (example i's logits at i·K … i·K + K − 1)
 * Not written when N × K exceeds `maxStoredLogits` (the post-hoc rows then say so).
 */
export const logitsKey = (jobId: string, point: LogitsPoint, split: LogitsSplit): string =>
  runKey(jobId, 'logits', `${point}-${split}.bin`);

export const logitsContentType = 'application/octet-stream';

/** 2^24 values = 64 MiB of float32 per file (CIFAR-100's test split is 10^6; iNaturalist's is far over). */
export const maxStoredLogits = 2 ** 24;
