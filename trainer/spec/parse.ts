import type { z } from 'zod';
import { type ExperimentSpec, experimentSpecSchema } from './experiment.ts';
import { readJson } from './strict-json.ts';

/** One failing field: its dotted path (e.g. `optimizer.batchSize`) and the rule it broke. */
export interface SpecIssue {
  readonly path: string;
  readonly rule: string;
}

/** A spec that failed validation; carries every failing field. */
export class SpecValidationError extends Error {
  readonly issues: readonly SpecIssue[];
  constructor(issues: readonly SpecIssue[]) {
    super(`invalid experiment spec: ${issues.map((i) => `${i.path || '(root)'}: ${i.rule}`).join('; ')}`);
    this.name = 'SpecValidationError';
    this.issues = issues;
  }
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): SpecIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    rule: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

/** Validates untrusted input (parsed JSON) into a spec, or throws SpecValidationError. */
export function parseExperimentSpec(input: unknown): ExperimentSpec {
  const result = experimentSpecSchema.safeParse(input);
  if (!result.success) throw new SpecValidationError(formatIssues(result.error.issues));
  return result.data;
}

/** Parses JSON text, reporting malformed JSON or a duplicate key as a validation error. */
export function parseExperimentSpecJson(text: string): ExperimentSpec {
  const read = readJson(text);
  if (!read.ok) throw new SpecValidationError([read.issue]);
  return parseExperimentSpec(read.value);
}
