import { assertPositiveCounts } from './errors.ts';

/** LDAM margins Δ_j = maxMargin·(n_min/n_j)^(1/4), i.e. Δ_j ∝ n_j^(−1/4) (Cao et al. 2019, eq. 12). */
export function ldamMargins(classCounts: readonly number[], maxMargin: number): number[] {
  assertPositiveCounts(classCounts, 'LDAM margin');
  if (!(maxMargin > 0)) throw new RangeError(`maxMargin must be positive, got ${maxMargin}`);
  const minCount = Math.min(...classCounts);
  return classCounts.map((n) => maxMargin * (minCount / n) ** 0.25);
}

/** M-DRW's margin: Δ_j = maxMargin for every class (Cao et al. 2019, Table 2). */
export function uniformMargins(numClasses: number, maxMargin: number): number[] {
  if (!(maxMargin > 0)) throw new RangeError(`maxMargin must be positive, got ${maxMargin}`);
  return new Array<number>(numClasses).fill(maxMargin);
}

/**
 * Margins for a known test distribution: Δ_j ∝ (n'_j / n_j)^(1/4), n' = test and n = training
 * images, the largest = maxMargin (Cao et al. 2019, appendix C.5, eq. 15).
 */
export function testDistributionMargins(
  classCounts: readonly number[],
  testCounts: readonly number[],
  maxMargin: number,
): number[] {
  assertPositiveCounts(classCounts, 'LDAM margin');
  if (testCounts.length !== classCounts.length)
    throw new RangeError(`${testCounts.length} test counts for ${classCounts.length} classes`);
  if (!(maxMargin > 0)) throw new RangeError(`maxMargin must be positive, got ${maxMargin}`);
  const raw = classCounts.map((n, j) => ((testCounts[j] as number) / n) ** 0.25);
  const top = Math.max(...raw);
  if (!(top > 0)) throw new RangeError('every test count is 0');
  return raw.map((r) => (maxMargin * r) / top);
}

export interface MarginContext {
  readonly rule: 'label-distribution' | 'uniform';
  readonly maxMargin: number;
  readonly classCounts: readonly number[];
  /** Test images per class when the test distribution is known (dataset.testImbalance). */
  readonly testCounts?: readonly number[];
}

/** The margins a margin loss (LDAM, hinge) trains with. */
export function marginsFor({ rule, maxMargin, classCounts, testCounts }: MarginContext): number[] {
  if (rule === 'uniform') return uniformMargins(classCounts.length, maxMargin);
  return testCounts === undefined
    ? ldamMargins(classCounts, maxMargin)
    : testDistributionMargins(classCounts, testCounts, maxMargin);
}
