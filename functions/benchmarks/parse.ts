import { formatIssues, readJson } from '../../trainer/spec/index.ts';
import { BenchmarkValidationError } from './errors.ts';
import { isPlainObject, mergeValue } from './overrides.ts';
import { benchmarkPresetNames, benchmarkPresets, isBenchmarkPresetName } from './presets.ts';
import { type BenchmarkSpec, benchmarkSpecSchema } from './schema.ts';

/**
 * Validates untrusted input into a benchmark spec. `{ "preset": "fmnist-lt", ... }` starts from a
 * preset: top-level fields given beside it replace the preset's, and `base` merges into its base.
 */
export function parseBenchmarkSpec(input: unknown): BenchmarkSpec {
  const result = benchmarkSpecSchema.safeParse(withPreset(input));
  if (!result.success) throw new BenchmarkValidationError(formatIssues(result.error.issues));
  return result.data;
}

/** Parses JSON text, reporting malformed JSON or a duplicate key as a validation error. */
export function parseBenchmarkSpecJson(text: string): BenchmarkSpec {
  const read = readJson(text);
  if (!read.ok) throw new BenchmarkValidationError([read.issue]);
  return parseBenchmarkSpec(read.value);
}

function withPreset(input: unknown): unknown {
  if (!isPlainObject(input) || input.preset === undefined) return input;
  const { preset, ...rest } = input;
  if (typeof preset !== 'string' || !isBenchmarkPresetName(preset))
    throw new BenchmarkValidationError([
      { path: 'preset', rule: `unknown preset; expected one of ${benchmarkPresetNames.join(', ')}` },
    ]);
  const base = benchmarkPresets[preset];
  const merged: Record<string, unknown> = { ...structuredClone(base), ...rest };
  if (rest.base !== undefined) merged.base = mergeValue(base.base, rest.base);
  return merged;
}
