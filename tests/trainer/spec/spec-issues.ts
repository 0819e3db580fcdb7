import { parseExperimentSpec, SpecValidationError } from '../../../trainer/spec/index.ts';

/** The issues parseExperimentSpec reports for `input`; fails the test when it accepts it. */
export function issuesOf(input: unknown): { path: string; rule: string }[] {
  try {
    parseExperimentSpec(input);
  } catch (error) {
    if (error instanceof SpecValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the spec to be rejected');
}
