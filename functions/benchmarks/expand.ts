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
  /** A second stage of this method's cells (cRT). */
  readonly stage2Of?: string;
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
  /** A stage-2 cell's `stage2.fromJob` is this placeholder until its stage-1 cell's job succeeds. */
  readonly spec: ExperimentSpec;
  /** The stage-1 cell this one starts from (same setting and seed). */
  readonly dependsOn?: string;
}

/** `stage2.fromJob` of a stage-2 cell before its stage-1 job exists (a valid id, replaced at submit). */
export const stage1Placeholder = 'stage1-pending';

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
  const byName = new Map(methods.map((m) => [m.info.name, m]));
  for (const method of methods) {
    const posthocBase = method.info.posthocOf?.method;
    if (posthocBase !== undefined) {
      if (!byName.has(posthocBase))
        issues.push({
          path: 'methods',
          rule: `${method.info.name} reads the ${posthocBase} cells: add '${posthocBase}' to methods`,
        });
      continue;
    }
    const stage1 = stage1Of(method, byName, issues);
    if (stage1 === null) continue;
    for (const setting of settings)
      for (const seed of benchmark.seeds) {
        const cell = cellOf(benchmark, method, stage1, setting, seed);
        if ('spec' in cell) cells.push(cell);
        else issues.push(...cell.issues);
      }
  }
  if (issues.length > 0) throw new BenchmarkValidationError(issues);
  return { methods: methods.map((m) => m.info), settings, cells };
}

type ExpandedMethod = ReturnType<typeof methodOf>;

/** A stage-2 method's stage-1 method, undefined for a first stage, null (with an issue) when unusable. */
function stage1Of(
  method: ExpandedMethod,
  byName: ReadonlyMap<string, ExpandedMethod>,
  issues: BenchmarkIssue[],
): ExpandedMethod | undefined | null {
  const name = method.info.stage2Of;
  if (name === undefined) return undefined;
  const stage1 = byName.get(name);
  const rule =
    stage1 === undefined
      ? `${method.info.name} starts from the ${name} cells: add '${name}' to methods`
      : stage1.info.stage2Of !== undefined || stage1.info.posthocOf !== undefined
        ? `${method.info.name} starts from ${name}, which has no trained cells of its own`
        : undefined;
  if (rule === undefined) return stage1;
  issues.push({ path: 'methods', rule });
  return null;
}

function cellOf(
  benchmark: BenchmarkSpec,
  method: ExpandedMethod,
  stage1: ExpandedMethod | undefined,
  setting: SettingInfo,
  seed: number,
): BenchmarkCell | { issues: BenchmarkIssue[] } {
  const idOf = (name: string) => `${name}.s${setting.index}.seed${seed}`;
  const id = idOf(method.info.name);
  const stage2 =
    stage1 === undefined ? [] : [...stage1.overrides, ['stage2', { fromJob: stage1Placeholder }] as const];
  const raw = applyOverrides(benchmark.base, [
    ...stage2,
    ...method.overrides,
    ...setting.values,
    ['seed', seed],
  ]);
  const result = experimentSpecSchema.safeParse(raw);
  if (!result.success)
    return { issues: formatIssues(result.error.issues).map((issue) => ({ cell: id, ...issue })) };
  return {
    id,
    method: method.info.name,
    setting: setting.index,
    seed,
    spec: result.data,
    ...(stage1 === undefined ? {} : { dependsOn: idOf(stage1.info.name) }),
  };
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
      ...(preset.stage2Of === undefined ? {} : { stage2Of: preset.stage2Of }),
    };
    return { info, overrides: preset.overrides };
  }
  if (typeof ref === 'string') throw new Error(`unknown method '${ref}'`);
  const info: MethodInfo = {
    name: ref.name,
    label: ref.label ?? ref.name,
    ...(ref.stage2Of === undefined ? {} : { stage2Of: ref.stage2Of }),
  };
  return { info, overrides: Object.entries(ref.set) };
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
