import type { DecayStep } from '../spec/index.ts';

export interface LearningRateSchedule {
  readonly baseLr: number;
  readonly warmupEpochs: number;
  /** Increasing afterEpoch; each factor is relative to baseLr, not cumulative. */
  readonly decay: readonly DecayStep[];
}

/**
 * LR of a 1-based epoch (Cao et al. 2019, appendix: CIFAR recipe): base·e/warmup for e ≤ warmup,
 * then base·factor of the last decay step with afterEpoch < e, else base.
 */
export function learningRateAt(epoch: number, { baseLr, warmupEpochs, decay }: LearningRateSchedule): number {
  if (!Number.isInteger(epoch) || epoch < 1)
    throw new RangeError(`epoch must be an integer ≥ 1, got ${epoch}`);
  if (epoch <= warmupEpochs) return (baseLr * epoch) / warmupEpochs;
  let factor = 1;
  let latest = Number.NEGATIVE_INFINITY;
  for (const step of decay) {
    if (step.afterEpoch < epoch && step.afterEpoch > latest) {
      latest = step.afterEpoch;
      factor = step.factor;
    }
  }
  return baseLr * factor;
}

/** Whether DRW/DRS re-balancing is on in a 1-based epoch: after `afterEpoch` completed epochs. */
export function deferredRebalanceActive(epoch: number, afterEpoch: number): boolean {
  return epoch > afterEpoch;
}
