import type { RebalanceSpec } from '../spec/index.ts';

/** How one epoch is rebalanced: loss class weights (undefined = unweighted) and the sampler. */
export interface EpochRebalance {
  readonly lossWeights: readonly number[] | undefined;
  readonly sampler: 'uniform' | 'class-balanced';
}

export interface RebalancePlan {
  readonly rule: RebalanceSpec['rule'];
  /** Per-class weights of the spec's weighting (class-balanced or inverse-frequency). */
  readonly classWeights: readonly number[];
  /** drw/drs: completed epochs after which they switch on; ignored by the other rules. */
  readonly afterEpoch: number | null;
}

/**
 * The rebalancing of epoch `epoch` (counting from 1): reweight/resample from the first epoch,
 * drw/drs only once `afterEpoch` epochs have completed (Cao et al. 2019, §3.3, Algorithm 1).
 */
export function rebalanceForEpoch(
  plan: RebalancePlan,
  epoch: number,
  deferredActive: (epoch: number, afterEpoch: number) => boolean,
): EpochRebalance {
  const deferredOn = plan.afterEpoch !== null && deferredActive(epoch, plan.afterEpoch);
  switch (plan.rule) {
    case 'none':
      return { lossWeights: undefined, sampler: 'uniform' };
    case 'reweight':
      return { lossWeights: plan.classWeights, sampler: 'uniform' };
    case 'resample':
      return { lossWeights: undefined, sampler: 'class-balanced' };
    case 'drw':
      return { lossWeights: deferredOn ? plan.classWeights : undefined, sampler: 'uniform' };
    case 'drs':
      return { lossWeights: undefined, sampler: deferredOn ? 'class-balanced' : 'uniform' };
  }
}
