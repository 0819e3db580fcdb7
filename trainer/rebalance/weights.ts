import { assertPositiveCounts } from './errors.ts';

export type Weighting = 'class-balanced' | 'inverse-frequency';

function normaliseToSumK(raw: number[]): number[] {
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w * raw.length) / total);
}

/** Effective-number weights w_j ∝ (1 − β)/(1 − β^{n_j}), Σ_j w_j = K (Cui et al. 2019, eq. 4). */
export function classBalancedWeights(classCounts: readonly number[], beta: number): number[] {
  assertPositiveCounts(classCounts, 'class-balanced weight');
  if (!(beta >= 0 && beta < 1)) throw new RangeError(`beta must lie in [0, 1), got ${beta}`);
  // −expm1(n·ln β) = 1 − β^n without cancellation when β is close to 1.
  const effectiveNumber = (n: number): number =>
    beta === 0 ? 1 : -Math.expm1(n * Math.log(beta)) / (1 - beta);
  return normaliseToSumK(classCounts.map((n) => 1 / effectiveNumber(n)));
}

/** w_j ∝ 1/n_j, Σ_j w_j = K (the paper's DRW text, Cao et al. 2019, §3.3). */
export function inverseFrequencyWeights(classCounts: readonly number[]): number[] {
  assertPositiveCounts(classCounts, 'inverse-frequency weight');
  return normaliseToSumK(classCounts.map((n) => 1 / n));
}

/** The per-class weights a rebalance spec's `weighting` asks for. */
export function rebalanceWeights(
  weighting: Weighting,
  classCounts: readonly number[],
  beta: number,
): number[] {
  return weighting === 'class-balanced'
    ? classBalancedWeights(classCounts, beta)
    : inverseFrequencyWeights(classCounts);
}
