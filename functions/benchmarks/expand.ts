import { type ExperimentSpec, experimentSpecSchema, formatIssues } from '../../trainer/spec/index.ts';
import { type BenchmarkIssue, BenchmarkValidationError } from './errors.ts';
import { isMethodName, methodPresets } from './methods.ts';
import { applyOverrides, isPlainObject } from './overrides.ts';
import type { BenchmarkSpec, MethodRef } from './schema.ts';

/** A row of the table. */
export interface MethodInfo {
  readonly name: string;
  readonly label: string;
  readonly paperRow?: string;
  /** A post-hoc row read from another method's cells; it has no cells of its own. */
  readonly posthocOf?: { readonly method: string; readonly adjustment: 'posthoc-la' | 'tau-norm' };
}

/** A column of the table: one combination of grid values. */
export interface SettingInfo {
  readonly index: number;
  readonly label: string;
  readonly values: ReadonlyArray<readonly [string, unknown]>;
}

/** One experiment of the grid: method × setting × seed. */
export interface BenchmarkCell {
  /** `<method>.s<setting>.seed<seed>`, stable for a given spec. */
  readonly id: string;
  readonly method: string;
  readonly setting: number;
  readonly seed: number;
  readonly spec: ExperimentSpec;
}

export interface ExpandedBenchmark {
  readonly methods: readonly MethodInfo[];
  readonly settings: readonly SettingInfo[];
  readonly cells: readonly BenchmarkCell[];
}

/** The cells a benchmark runs; rejects it if too many, or if any cell's spec is invalid. */
export function expandBenchmark(benchmark: BenchmarkSpec): ExpandedBenchmark {
  const methods = (benchmark.methods ?? [null]).map(methodOf);
  const settings = settingsOf(benchmark.grid);
  const count = methods.length * settings.length * benchmark.seeds.length;
  if (count > benchmark.maxCells)
    throw new BenchmarkValidationError([
      {
        path: 'maxCells',
        rule: `the grid expands to ${count} cells (${methods.length} methods × ${settings.length} settings × ${benchmark.seeds.length} seeds), more than maxCells ${benchmark.maxCells}`,
      },
    ]);
  const cells: BenchmarkCell[] = [];
  const issues: BenchmarkIssue[] = [];
  const named = new Set(methods.map((m) => m.info.name));
  for (const method of methods) {
    const base = method.info.posthocOf?.method;
    if (base !== undefined) {
      if (!named.has(base))
        issues.push({
          path: 'methods',
          rule: `${method.info.name} reads the ${base} cells: add '${base}' to methods`,
        });
      continue;
    }
    for (const setting of settings) {
      for (const seed of benchmark.seeds) {
        const id = `${method.info.name}.s${setting.index}.seed${seed}`;
        const raw = applyOverrides(benchmark.base, [...method.overrides, ...setting.values, ['seed', seed]]);
        const result = experimentSpecSchema.safeParse(raw);
        if (result.success)
          cells.push({ id, method: method.info.name, setting: setting.index, seed, spec: result.data });
        else issues.push(...formatIssues(result.error.issues).map((issue) => ({ cell: id, ...issue })));
      }
    }
  }
  if (issues.length > 0) throw new BenchmarkValidationError(issues);
  return { methods: methods.map((m) => m.info), settings, cells };
}

function methodOf(ref: MethodRef | null): {
  info: MethodInfo;
  overrides: ReadonlyArray<readonly [string, unknown]>;
} {
  if (ref === null) return { info: { name: 'base', label: 'Base' }, overrides: [] };
  if (typeof ref === 'string' && isMethodName(ref)) {
    const preset = methodPresets[ref];
    const info: MethodInfo = {
      name: ref,
      label: preset.label,
      ...(preset.paperRow === undefined ? {} : { paperRow: preset.paperRow }),
      ...(preset.posthocOf === undefined ? {} : { posthocOf: preset.posthocOf }),
    };
    return { info, overrides: preset.overrides };
  }
  if (typeof ref === 'string') throw new Error(`unknown method '${ref}'`);
  return { info: { name: ref.name, label: ref.label ?? ref.name }, overrides: Object.entries(ref.set) };
}

/** Every combination of grid values, first path varying slowest; one empty setting without a grid. */
export function settingsOf(grid: Readonly<Record<string, readonly unknown[]>>): SettingInfo[] {
  let combos: Array<Array<readonly [string, unknown]>> = [[]];
  for (const [path, values] of Object.entries(grid))
    combos = combos.flatMap((combo) => values.map((value) => [...combo, [path, value] as const]));
  return combos.map((values, index) => ({
    index,
    label: values.length === 0 ? 'base' : values.map(([, value]) => labelOf(value)).join(' '),
    values,
  }));
}

/** A short human label of a grid value: `{type: 'exp', ratio: 100}` → `exp-100`. */
export function labelOf(value: unknown): string {
  if (Array.isArray(value)) return value.map(labelOf).join('x');
  if (isPlainObject(value)) return Object.values(value).map(labelOf).join('-');
  return String(value);
}
