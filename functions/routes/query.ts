// Parses a route's query string with its zod schema, reporting every failing parameter.
import type { z } from 'zod';
import { formatIssues } from '../../trainer/spec/index.ts';
import { InvalidInput } from '../errors.ts';

export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.output<S> {
  const result = schema.safeParse(query);
  if (!result.success) throw new InvalidInput(formatIssues(result.error.issues));
  return result.data;
}
