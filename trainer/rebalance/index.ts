export { imbalancedClassCounts } from './class-counts.ts';
export { EmptyClassError } from './errors.ts';
export type { MarginContext } from './margins.ts';
export { ldamMargins, marginsFor, testDistributionMargins, uniformMargins } from './margins.ts';
export { classBalancedIndices, shuffledIndices } from './samplers.ts';
export type { Weighting } from './weights.ts';
export { classBalancedWeights, inverseFrequencyWeights, rebalanceWeights } from './weights.ts';
