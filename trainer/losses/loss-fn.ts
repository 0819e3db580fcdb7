import { ldamMargins } from '../rebalance/margins.ts';
import type { LossSpec } from '../spec/index.ts';
import { crossEntropyLoss } from './ce.ts';
import type { LossFunction } from './cross-entropy.ts';
import { focalLoss } from './focal.ts';
import { ldamLoss } from './ldam.ts';
import { logitAdjustedLoss } from './logit-adjusted.ts';

export interface LossContext {
  /** Training images per class (margins and priors come from these). */
  readonly classCounts: readonly number[];
  /** Per-class weights (RW, or DRW once it is on); absent = unweighted. */
  readonly classWeights?: readonly number[];
}

/** The batch loss a spec asks for. Build a new one when the class weights change (DRW). */
export function lossFn(lossSpec: LossSpec, { classCounts, classWeights }: LossContext): LossFunction {
  const weights = classWeights === undefined ? {} : { classWeights };
  const numClasses = classCounts.length;
  switch (lossSpec.type) {
    case 'ce':
      return crossEntropyLoss({ numClasses, ...weights });
    case 'focal':
      return focalLoss({ numClasses, gamma: lossSpec.gamma, ...weights });
    case 'ldam':
      return ldamLoss({
        margins: ldamMargins(classCounts, lossSpec.maxMargin),
        scale: lossSpec.scale,
        ...weights,
      });
    case 'logit-adjusted':
      return logitAdjustedLoss({ classCounts, tau: lossSpec.tau, ...weights });
  }
}
