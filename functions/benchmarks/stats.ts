// Summary statistics over seeds.

/** Mean, sample standard deviation (n − 1; null below two values) and count. */
export interface Summary {
  readonly mean: number;
  readonly std: number | null;
  readonly n: number;
}

/** Summary of the finite values, or null when there are none. */
export function summarize(values: ReadonlyArray<number | null | undefined>): Summary | null {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return null;
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: null, n };
  // Sample (Bessel-corrected) std: seeds are a sample of the run-to-run variation.
  const variance = finite.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), n };
}

/** Element-wise mean of equal-length vectors (per-class errors over seeds), skipping nulls; null if none. */
export function meanVector(
  vectors: ReadonlyArray<ReadonlyArray<number | null>>,
): Array<number | null> | null {
  const first = vectors[0];
  if (first === undefined) return null;
  const usable = vectors.filter((v) => v.length === first.length);
  return first.map((_, k) => summarize(usable.map((v) => v[k]))?.mean ?? null);
}
