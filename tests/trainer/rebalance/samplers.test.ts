import { describe, expect, it } from 'vitest';
import { createRng } from '../../../trainer/random/rng.ts';
import { classBalancedIndices, shuffledIndices } from '../../../trainer/rebalance/index.ts';

function labelsOf(counts: readonly number[]): Int32Array {
  return Int32Array.from(counts.flatMap((n, c) => Array.from({ length: n }, () => c)));
}

describe('shuffledIndices', () => {
  it('is a permutation of 0..n−1 that depends on the seed only', () => {
    const a = shuffledIndices(100, createRng(1));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffledIndices(100, createRng(1))).toEqual(a);
    expect(shuffledIndices(100, createRng(2))).not.toEqual(a);
  });
});

describe('classBalancedIndices', () => {
  it('draws each class in proportion to w_c·n_c', () => {
    const counts = [900, 90, 10];
    const labels = labelsOf(counts);
    const weights = counts.map((n) => 1 / n);
    const draws = 30_000;
    const drawn = classBalancedIndices(labels, weights, draws, createRng(7));
    const perClass = [0, 0, 0];
    for (const i of drawn) perClass[labels[i] as number] = (perClass[labels[i] as number] as number) + 1;
    // Equal expected mass per class: 10,000 draws each, binomial sd ≈ 82.
    for (const n of perClass) expect(Math.abs(n - draws / 3)).toBeLessThan(500);
  });

  it('draws members of a class uniformly, with replacement', () => {
    const labels = labelsOf([4, 2]);
    const drawn = classBalancedIndices(labels, [1, 0], 8000, createRng(3));
    const hits = [0, 0, 0, 0, 0, 0];
    for (const i of drawn) hits[i] = (hits[i] as number) + 1;
    expect(hits[4]).toBe(0);
    expect(hits[5]).toBe(0);
    for (const h of hits.slice(0, 4)) expect(Math.abs(h - 2000)).toBeLessThan(200);
  });

  it('is reproducible from the RNG state', () => {
    const labels = labelsOf([50, 5]);
    const rng = createRng(11);
    rng.next();
    const state = rng.getState();
    const first = classBalancedIndices(labels, [0.2, 1.8], 64, rng);
    rng.setState(state);
    expect(classBalancedIndices(labels, [0.2, 1.8], 64, rng)).toEqual(first);
  });

  it('rejects labels without a weight and all-zero weights', () => {
    expect(() => classBalancedIndices(Int32Array.from([0, 2]), [1, 1], 4, createRng(0))).toThrow(/label 2/);
    expect(() => classBalancedIndices(labelsOf([3, 3]), [0, 0], 4, createRng(0))).toThrow(/positive weight/);
  });
});
