// Applying a benchmark's overrides (method presets, grid values, seeds) to a raw experiment spec,
// before validation, so defaults still come from the experiment schema.

/** JSON-like plain object. */
export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges `patch` into `target` without mutating either. Objects merge key by key, except that an
 * object whose `type` differs from the target's replaces it: `{type: 'ce'}` over an ldam loss must
 * not inherit `maxMargin`, while `{type: 'ldam'}` over an ldam loss keeps the user's margin.
 */
export function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch) || !isPlainObject(target)) return structuredClone(patch);
  if (patch.type !== undefined && target.type !== undefined && patch.type !== target.type)
    return structuredClone(patch);
  const merged: PlainObject = { ...structuredClone(target) };
  for (const [key, value] of Object.entries(patch)) merged[key] = mergeValue(merged[key], value);
  return merged;
}

/** Splits `dataset.imbalance.ratio` into its segments; rejects empty segments. */
export function splitPath(path: string): string[] {
  const segments = path.split('.');
  if (segments.some((s) => s.length === 0)) throw new Error(`invalid field path '${path}'`);
  return segments;
}

/** A copy of `spec` with the value at the dotted path merged in (missing parents are created). */
export function applyOverride(spec: PlainObject, path: string, value: unknown): PlainObject {
  const [head, ...rest] = splitPath(path);
  if (head === undefined) return spec;
  if (rest.length === 0) return { ...spec, [head]: mergeValue(spec[head], value) };
  const child = spec[head];
  return { ...spec, [head]: applyOverride(isPlainObject(child) ? child : {}, rest.join('.'), value) };
}

/** Applies overrides in order; later ones win. */
export function applyOverrides(
  spec: PlainObject,
  overrides: ReadonlyArray<readonly [string, unknown]>,
): PlainObject {
  return overrides.reduce<PlainObject>((acc, [path, value]) => applyOverride(acc, path, value), spec);
}
