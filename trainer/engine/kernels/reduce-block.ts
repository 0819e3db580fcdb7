// Which reductions are one contiguous block of axes: a row-major [outer, reduced, inner] view.

/**
 * The reduction `axes` of `shape` as one [outer, reduced, inner] view, or undefined when the
 * axes (ignoring size-1 axes) are not one contiguous block.
 */
export function blockView(
  shape: readonly number[],
  axes: readonly number[],
): { outer: number; reduced: number; inner: number } | undefined {
  const reducedAxes = new Set(axes.filter((a) => (shape[a] ?? 1) !== 1));
  const kept = shape.map((_, a) => a).filter((a) => (shape[a] ?? 1) !== 1);
  const flags = kept.map((a) => reducedAxes.has(a));
  const first = flags.indexOf(true);
  const last = flags.lastIndexOf(true);
  if (first >= 0 && flags.slice(first, last + 1).some((f) => !f)) return undefined;
  const product = (list: number[]) => list.reduce((n, a) => n * (shape[a] ?? 1), 1);
  if (first < 0) return { outer: product(kept), reduced: 1, inner: 1 };
  return {
    outer: product(kept.slice(0, first)),
    reduced: product(kept.slice(first, last + 1)),
    inner: product(kept.slice(last + 1)),
  };
}
