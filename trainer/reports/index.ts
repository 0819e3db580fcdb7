export { buildReport, type ReportContext } from './build.ts';
export { reportToCsv } from './csv.ts';
export { renderReportFiles, writeReportFiles } from './files.ts';
export { reportToMarkdown } from './markdown.ts';
export { parseReport, ReportValidationError } from './parse.ts';
export type {
  BestEvaluationSummary,
  EvaluationSummary,
  GroupErrorSummary,
  HistoryEntry,
  Report,
  ReportInput,
  SpecSummary,
  Split,
} from './schema.ts';
export { reportSchema } from './schema.ts';
export { summarizeSpec } from './summary.ts';
export { reportToSvg } from './svg.ts';
