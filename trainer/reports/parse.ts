import { formatIssues, type SpecIssue } from '../spec/index.ts';
import { type Report, reportSchema } from './schema.ts';

/** A report.json that does not match the schema; carries every failing field. */
export class ReportValidationError extends Error {
  readonly issues: readonly SpecIssue[];
  constructor(issues: readonly SpecIssue[]) {
    super(`invalid report: ${issues.map((i) => `${i.path || '(root)'}: ${i.rule}`).join('; ')}`);
    this.name = 'ReportValidationError';
    this.issues = issues;
  }
}

/** Validates a report (parsed JSON or a freshly built object), or throws ReportValidationError. */
export function parseReport(input: unknown): Report {
  const result = reportSchema.safeParse(input);
  if (!result.success) throw new ReportValidationError(formatIssues(result.error.issues));
  return result.data;
}
