export { buildReport, type ReportContext } from './build.ts';
export { reportToCsv } from './csv.ts';
export { renderReportFiles, writeReportFiles } from './files.ts';
export { reportToMarkdown } from './markdown.ts';
export { migrateReportV1 } from './migrate-v1.ts';
export { parseReport, ReportValidationError } from './parse.ts';
export {
  evaluationFromLogits,
  type PosthocSource,
  posthocRowsFromStore,
  storeEpochLogits,
} from './posthoc-artifacts.ts';
export type {
  AdjustedScores,
  BestEvaluationSummary,
  EvaluationSummary,
  GroupErrorSummary,
  HistoryEntry,
  PosthocMethod,
  PosthocRow,
  Report,
  ReportInput,
  SpecSummary,
  Split,
} from './schema.ts';
export { currentReportVersion, posthocMethods, reportSchema } from './schema.ts';
export type { ReportV1 } from './schema-v1.ts';
export { reportV1Schema } from './schema-v1.ts';
export { summarizeSpec } from './summary.ts';
export { reportToSvg } from './svg.ts';
