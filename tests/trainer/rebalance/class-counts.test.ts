import { describe, expect, it } from 'vitest';
import { imbalancedClassCounts } from '../../../trainer/rebalance/index.ts';

describe('imbalancedClassCounts', () => {
  it("gives the paper's long-tailed CIFAR-10 counts for ρ = 100", () => {
    const counts = imbalancedClassCounts({ type: 'exp', ratio: 100 }, 5000, 10);
    expect(counts).toEqual([5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12_406);
  });

  it('keeps the head at n_max and the tail at n_max/ρ, decreasing in between', () => {
    const counts = imbalancedClassCounts({ type: 'exp', ratio: 10 }, 500, 100);
    expect(counts[0]).toBe(500);
    expect(counts[99]).toBe(50);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1] as number);
  });

  it('splits step imbalance at ⌊K/2⌋', () => {
    expect(imbalancedClassCounts({ type: 'step', ratio: 10 }, 5000, 10)).toEqual([
      5000, 5000, 5000, 5000, 5000, 500, 500, 500, 500, 500,
    ]);
    expect(imbalancedClassCounts({ type: 'step', ratio: 3 }, 100, 5)).toEqual([100, 100, 33, 33, 33]);
  });

  it('ignores the ratio when there is no imbalance', () => {
    expect(imbalancedClassCounts({ type: 'none', ratio: 100 }, 7, 4)).toEqual([7, 7, 7, 7]);
  });

  it('keeps at least one image per class when n_max < ρ', () => {
    expect(imbalancedClassCounts({ type: 'exp', ratio: 100 }, 20, 3)).toEqual([20, 2, 1]);
    expect(imbalancedClassCounts({ type: 'step', ratio: 100 }, 20, 2)).toEqual([20, 1]);
  });

  it('rejects non-integer sizes', () => {
    expect(() => imbalancedClassCounts({ type: 'exp', ratio: 100 }, 0, 10)).toThrow(/maxPerClass/);
    expect(() => imbalancedClassCounts({ type: 'exp', ratio: 100 }, 10, 2.5)).toThrow(/numClasses/);
  });
});
