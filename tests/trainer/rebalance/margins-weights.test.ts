import { describe, expect, it } from 'vitest';
import {
  classBalancedWeights,
  EmptyClassError,
  inverseFrequencyWeights,
  ldamMargins,
  rebalanceWeights,
} from '../../../trainer/rebalance/index.ts';

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('ldamMargins', () => {
  it('gives the rarest class maxMargin and scales the others by (n_min/n_j)^(1/4)', () => {
    const margins = ldamMargins([16, 1, 81], 0.5);
    expect(margins[1]).toBeCloseTo(0.5, 12);
    expect(margins[0]).toBeCloseTo(0.25, 12);
    expect(margins[2]).toBeCloseTo(0.5 / 3, 12);
  });

  it('throws a clear error, not NaN, for a class with no images', () => {
    expect(() => ldamMargins([10, 0, 5], 0.5)).toThrow(EmptyClassError);
    expect(() => ldamMargins([10, 0, 5], 0.5)).toThrow(/class 1 has no training images/);
  });
});

describe('class weights', () => {
  it('normalises class-balanced weights to sum K and favours rare classes', () => {
    const w = classBalancedWeights([5000, 500, 50], 0.9999);
    expect(sum(w)).toBeCloseTo(3, 12);
    expect(w[2]).toBeGreaterThan(w[1] as number);
    expect(w[1]).toBeGreaterThan(w[0] as number);
  });

  it('matches (1 − β)/(1 − β^n) computed by hand', () => {
    const beta = 0.9;
    const raw = [1, 2].map((n) => (1 - beta) / (1 - beta ** n));
    const expected = raw.map((r) => (2 * r) / sum(raw));
    const w = classBalancedWeights([1, 2], beta);
    expect(w[0]).toBeCloseTo(expected[0] as number, 12);
    expect(w[1]).toBeCloseTo(expected[1] as number, 12);
  });

  it('is uniform for β = 0 and approaches inverse frequency as β → 1', () => {
    expect(classBalancedWeights([100, 10], 0)).toEqual([1, 1]);
    const nearOne = classBalancedWeights([100, 10], 1 - 1e-12);
    const inverse = inverseFrequencyWeights([100, 10]);
    expect(nearOne[0]).toBeCloseTo(inverse[0] as number, 6);
    expect(nearOne[1]).toBeCloseTo(inverse[1] as number, 6);
  });

  it('gives inverse-frequency weights proportional to 1/n summing to K', () => {
    const w = inverseFrequencyWeights([100, 50, 25, 25]);
    expect(sum(w)).toBeCloseTo(4, 12);
    expect((w[1] as number) / (w[0] as number)).toBeCloseTo(2, 12);
    expect(w[2]).toBeCloseTo(w[3] as number, 12);
  });

  it('dispatches on the weighting rule', () => {
    expect(rebalanceWeights('inverse-frequency', [4, 1], 0.9999)).toEqual(inverseFrequencyWeights([4, 1]));
    expect(rebalanceWeights('class-balanced', [4, 1], 0.5)).toEqual(classBalancedWeights([4, 1], 0.5));
  });

  it('rejects empty classes and invalid β', () => {
    expect(() => classBalancedWeights([3, 0], 0.9999)).toThrow(EmptyClassError);
    expect(() => inverseFrequencyWeights([0, 3])).toThrow(/class 0 has no training images/);
    expect(() => classBalancedWeights([3, 3], 1)).toThrow(/beta/);
    expect(() => classBalancedWeights([3, -1], 0.5)).toThrow(/invalid count/);
  });
});
