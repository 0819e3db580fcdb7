/**
 * ‖actual − expected‖ / ‖expected‖ (the absolute norm when `expected` is all zeros): the measure
 * every golden and kernel test holds to ≤ 1e-4. A length mismatch is infinitely wrong.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] ?? 0;
    diff += ((actual[i] ?? Number.NaN) - e) ** 2;
    norm += e ** 2;
  }
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
}
