import { describe, expect, it } from 'vitest';
import { imbalancedTestCounts, imbalancedTestIndices } from '../../../trainer/data/test-imbalance.ts';
import { imbalancedClassCounts } from '../../../trainer/rebalance/index.ts';
import { parseExperimentSpec, resolveExperiment } from '../../../trainer/spec/index.ts';

describe('a known imbalanced test distribution (Cao et al. 2019, appendix C.5)', () => {
  const rule = { type: 'exp', ratio: 10, seed: 3 } as const;

  it('draws the exp rule from the smallest class, capped, with the frequencies permuted by the seed', () => {
    const counts = imbalancedTestCounts([1000, 900, 1000, 950, 1000], rule, 500);
    expect([...counts].sort((a, b) => b - a)).toEqual(imbalancedClassCounts(rule, 500, 5));
    expect(imbalancedTestCounts([1000, 900, 1000, 950, 1000], rule, 500)).toEqual(counts);
    const others = [0, 1, 2, 4, 5, 6].map((seed) =>
      imbalancedTestCounts([1000, 900, 1000, 950, 1000], { ...rule, seed }, 500),
    );
    expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(counts))).toBe(true);
  });

  it('keeps that many test images of each class', () => {
    const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
    const indices = imbalancedTestIndices(labels, 3, { type: 'step', ratio: 4, seed: 0 }, 80, 0);
    const kept = [0, 1, 2].map((c) => [...indices].filter((i) => labels[i] === c).length);
    expect([...kept].sort((a, b) => b - a)).toEqual([80, 20, 20]);
    expect([...indices]).toEqual([...indices].sort((a, b) => a - b));
  });

  it('is a spec field; the hinge loss trains a cosine head by default', () => {
    const spec = parseExperimentSpec({
      version: 1,
      dataset: { name: 'cifar10', testImbalance: { type: 'exp', ratio: 100 } },
      loss: { type: 'hinge', margins: 'uniform' },
    });
    expect(spec.dataset.testImbalance).toEqual({ type: 'exp', ratio: 100, seed: 0 });
    expect(spec.loss).toEqual({ type: 'hinge', maxMargin: 0.5, margins: 'uniform' });
    expect(resolveExperiment(spec).classifier).toBe('cosine');
    expect(() =>
      parseExperimentSpec({
        version: 1,
        dataset: { name: 'cifar10', testImbalance: { type: 'none', ratio: 1 } },
      }),
    ).toThrow(/dataset\.testImbalance\.type/);
  });
});
