import * as tf from '@tensorflow/tfjs';
import { adjustedCrossEntropy, type LossFunction } from './cross-entropy.ts';

export interface LdamOptions {
  /** Δ_j per class, from `ldamMargins`. */
  readonly margins: readonly number[];
  /** s: the cosine logits are multiplied by it before the softmax. */
  readonly scale: number;
  readonly classWeights?: readonly number[];
}

/**
 * LDAM (Cao et al. 2019, eq. 13): logits are cosine similarities z ∈ [−1, 1]; the true class's
 * logit loses its margin, ẑ_y = z_y − Δ_y, and the loss is the (class-weighted) CE of s·ẑ.
 */
export function ldamLoss({ margins, scale, classWeights }: LdamOptions): LossFunction {
  if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`scale must be positive, got ${scale}`);
  margins.forEach((m, j) => {
    if (!(m >= 0 && Number.isFinite(m))) throw new RangeError(`class ${j} has an invalid margin: ${m}`);
  });
  return adjustedCrossEntropy(margins.length, classWeights, (logits, oneHot) => {
    const marginRows = tf.mul(oneHot, tf.tensor1d(margins as number[], 'float32'));
    return tf.mul(tf.sub(logits, marginRows), scale) as tf.Tensor2D;
  });
}
