import { assertPositiveCounts } from './errors.ts';

/** LDAM margins Δ_j = maxMargin·(n_min/n_j)^(1/4), i.e. Δ_j ∝ n_j^(−1/4) (Cao et al. 2019, eq. 12). */
export function ldamMargins(classCounts: readonly number[], maxMargin: number): number[] {
  assertPositiveCounts(classCounts, 'LDAM margin');
  if (!(maxMargin > 0)) throw new RangeError(`maxMargin must be positive, got ${maxMargin}`);
  const minCount = Math.min(...classCounts);
  return classCounts.map((n) => maxMargin * (minCount / n) ** 0.25);
}
