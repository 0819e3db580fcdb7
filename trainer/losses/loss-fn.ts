import { marginsFor } from '../rebalance/margins.ts';
import type { LossSpec } from '../spec/index.ts';
import { crossEntropyLoss } from './ce.ts';
import type { LossFunction } from './cross-entropy.ts';
import { focalLoss } from './focal.ts';
import { hingeLoss } from './hinge.ts';
import { ldamLoss } from './ldam.ts';
import { logitAdjustedLoss } from './logit-adjusted.ts';

export interface LossContext {
  /** Training images per class (margins and priors come from these). */
  readonly classCounts: readonly number[];
  /** Per-class weights (RW, or DRW once it is on); absent = unweighted. */
  readonly classWeights?: readonly number[];
  /** Test images per class when the test distribution is known: margins Δ_j ∝ (n'_j/n_j)^(1/4). */
  readonly testCounts?: readonly number[];
}

/** The batch loss a spec asks for. Build a new one when the class weights change (DRW). */
export function lossFn(
  lossSpec: LossSpec,
  { classCounts, classWeights, testCounts }: LossContext,
): LossFunction {
  const weights = classWeights === undefined ? {} : { classWeights };
  const numClasses = classCounts.length;
  const margins = (spec: { maxMargin: number; margins?: 'label-distribution' | 'uniform' | undefined }) =>
    marginsFor({
      rule: spec.margins ?? 'label-distribution',
      maxMargin: spec.maxMargin,
      classCounts,
      ...(testCounts === undefined ? {} : { testCounts }),
    });
  switch (lossSpec.type) {
    case 'ce':
      return crossEntropyLoss({ numClasses, ...weights });
    case 'focal':
      return focalLoss({ numClasses, gamma: lossSpec.gamma, ...weights });
    case 'ldam':
      return ldamLoss({
        margins: margins(lossSpec),
        scale: lossSpec.scale,
        ...weights,
      });
    case 'logit-adjusted':
      return logitAdjustedLoss({ classCounts, tau: lossSpec.tau, ...weights });
    case 'hinge':
      return hingeLoss({ margins: margins(lossSpec), ...weights });
  }
}
