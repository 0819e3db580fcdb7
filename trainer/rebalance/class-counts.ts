import type { ImbalanceSpec } from '../spec/index.ts';

/**
 * Training images kept per class, head class first (Cao et al. 2019, §4.1):
 * exp: n_i = ⌊n_max·ρ^(−i/(K−1))⌋; step: the first ⌊K/2⌋ classes keep n_max, the rest ⌊n_max/ρ⌋;
 * none: n_max each. Every class keeps at least one image, which changes nothing when n_max ≥ ρ.
 */
export function imbalancedClassCounts(
  imbalance: Pick<ImbalanceSpec, 'type' | 'ratio'>,
  maxPerClass: number,
  numClasses: number,
): number[] {
  if (!Number.isInteger(maxPerClass) || maxPerClass < 1)
    throw new RangeError(`maxPerClass must be a positive integer, got ${maxPerClass}`);
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  const { type, ratio } = imbalance;
  if (type !== 'none' && !(ratio >= 1)) throw new RangeError(`imbalance ratio must be ≥ 1, got ${ratio}`);
  const atLeastOne = (n: number): number => Math.max(1, Math.floor(n));
  const countOf = (i: number): number => {
    if (type === 'none') return maxPerClass;
    if (type === 'step')
      return i < Math.floor(numClasses / 2) ? maxPerClass : atLeastOne(maxPerClass / ratio);
    if (numClasses === 1) return maxPerClass;
    // Written as (1/ρ)^(i/(K−1)) so the floors agree with the reference's float arithmetic.
    return atLeastOne(maxPerClass * (1 / ratio) ** (i / (numClasses - 1)));
  };
  return Array.from({ length: numClasses }, (_, i) => countOf(i));
}
