import { formatIssues, type SpecIssue } from '../spec/index.ts';
import { migrateReportV1 } from './migrate-v1.ts';
import { type Report, reportSchema } from './schema.ts';
import { reportV1Schema } from './schema-v1.ts';

/** A report.json that does not match the schema; carries every failing field. */
export class ReportValidationError extends Error {
  readonly issues: readonly SpecIssue[];
  constructor(issues: readonly SpecIssue[]) {
    super(`invalid report: ${issues.map((i) => `${i.path || '(root)'}: ${i.rule}`).join('; ')}`);
    this.name = 'ReportValidationError';
    this.issues = issues;
  }
}

/**
 * Validates a report (parsed JSON or a freshly built object) in the current version, or throws
 * ReportValidationError. A stored version-1 report is validated as v1 and migrated.
 */
export function parseReport(input: unknown): Report {
  const version =
    typeof input === 'object' && input !== null
      ? (input as { reportVersion?: unknown }).reportVersion
      : undefined;
  if (version === 1) {
    const v1 = reportV1Schema.safeParse(input);
    if (!v1.success) throw new ReportValidationError(formatIssues(v1.error.issues));
    return parseReport(migrateReportV1(v1.data));
  }
  const result = reportSchema.safeParse(input);
  if (!result.success) throw new ReportValidationError(formatIssues(result.error.issues));
  return result.data;
}
