import * as tf from '@tensorflow/tfjs';
import { assertPositiveCounts } from '../rebalance/errors.ts';
import { adjustedCrossEntropy, type LossFunction } from './cross-entropy.ts';

export interface LogitAdjustedOptions {
  /** Training images per class; the prior is counts / Σ counts. */
  readonly classCounts: readonly number[];
  readonly tau: number;
  readonly classWeights?: readonly number[];
}

/**
 * Logit-adjusted loss (Menon et al. 2021, eq. 10): CE of z + τ·log π with π the training label
 * prior; τ = 1 is the Balanced Softmax. The offset is a constant, so the gradient is softmax − onehot.
 */
export function logitAdjustedLoss({ classCounts, tau, classWeights }: LogitAdjustedOptions): LossFunction {
  assertPositiveCounts(classCounts, 'log prior');
  if (!(tau >= 0 && Number.isFinite(tau))) throw new RangeError(`tau must be ≥ 0, got ${tau}`);
  const total = classCounts.reduce((a, b) => a + b, 0);
  const offsets = classCounts.map((n) => tau * Math.log(n / total));
  return adjustedCrossEntropy(
    classCounts.length,
    classWeights,
    (logits) => tf.add(logits, tf.tensor1d(offsets, 'float32')) as tf.Tensor2D,
  );
}
