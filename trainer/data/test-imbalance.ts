import { createRng, deriveSeed, shuffleInPlace } from '../random/rng.ts';
import { imbalancedClassCounts } from '../rebalance/index.ts';
import type { TestImbalanceSpec } from '../spec/index.ts';
import { indicesByClass } from './imbalance.ts';

/**
 * Test images per class for a known imbalanced test distribution (Cao et al. 2019, appendix C.5):
 * the exp/step rule from the smallest class's available images (capped by testPerClass), the class
 * frequencies then permuted with `seed`, so the test's head is not the training's head.
 */
export function imbalancedTestCounts(
  available: readonly number[],
  testImbalance: TestImbalanceSpec,
  perClassCap: number | undefined,
): number[] {
  const nMax = Math.min(...available, perClassCap ?? Number.POSITIVE_INFINITY);
  const counts = imbalancedClassCounts(testImbalance, nMax, available.length);
  shuffleInPlace(counts, createRng(deriveSeed(testImbalance.seed, 'test-permutation')));
  return counts;
}

/** Test indices (ascending) drawn per class to the imbalanced test counts; each class shuffled by `seed`. */
export function imbalancedTestIndices(
  labels: Int32Array,
  numClasses: number,
  testImbalance: TestImbalanceSpec,
  perClassCap: number | undefined,
  seed: number,
): Int32Array {
  const groups = indicesByClass(labels, numClasses);
  const counts = imbalancedTestCounts(
    groups.map((g) => g.length),
    testImbalance,
    perClassCap,
  );
  const rng = createRng(deriveSeed(seed, 'test-subsample'));
  for (const group of groups) shuffleInPlace(group, rng);
  return Int32Array.from(groups.flatMap((g, c) => g.slice(0, counts[c]))).sort();
}
