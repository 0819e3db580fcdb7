import * as tf from '@tensorflow/tfjs';
import {
  checkClassWeights,
  type LossFunction,
  oneHotLabels,
  perSampleCrossEntropy,
  sampleWeights,
} from './cross-entropy.ts';

export interface FocalOptions {
  readonly numClasses: number;
  readonly gamma: number;
  readonly classWeights?: readonly number[];
}

// Keeps the gradient of (1 − p)^γ finite for γ < 1 where a saturated sample has ℓ_w = 0.
const tiny = 1e-30;

/**
 * Focal loss (Lin et al. 2017) as Cao et al. 2019's reference computes it: ℓ_w = w_y·CE per sample,
 * loss = mean_i (1 − e^(−ℓ_w))^γ·ℓ_w. With weights the modulating factor uses e^(−w_y·CE) = p^(w_y),
 * not p — a quirk of the reference kept on purpose; the mean is over the batch, not Σ w_y.
 */
export function focalLoss({ numClasses, gamma, classWeights }: FocalOptions): LossFunction {
  if (!(gamma >= 0 && Number.isFinite(gamma))) throw new RangeError(`gamma must be ≥ 0, got ${gamma}`);
  checkClassWeights(classWeights, numClasses);
  return (labels, logits) =>
    tf.tidy(() => {
      const oneHot = oneHotLabels(labels, logits, numClasses);
      const ce = perSampleCrossEntropy(oneHot, logits);
      const weighted = classWeights === undefined ? ce : tf.mul(sampleWeights(oneHot, classWeights), ce);
      if (gamma === 0) return tf.mean(weighted);
      // 1 − e^(−ℓ) as −expm1(−ℓ): no cancellation for well-classified samples.
      const oneMinusP = tf.maximum(tf.neg(tf.expm1(tf.neg(weighted))), tiny);
      return tf.mean(tf.mul(tf.pow(oneMinusP, gamma), weighted));
    });
}
