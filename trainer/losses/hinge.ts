import * as tf from '@tensorflow/tfjs';
import {
  checkClassWeights,
  type LossFunction,
  normalisedByClassWeights,
  oneHotLabels,
  weightedMean,
} from './cross-entropy.ts';

export interface HingeOptions {
  /** Δ_j per class (uniform for HG, label-distribution-aware for LDAM-HG). */
  readonly margins: readonly number[];
  readonly classWeights?: readonly number[];
}

/**
 * Multi-class hinge loss on the cosine logits, no scale (Cao et al. 2019, §3.2):
 * ℓ = max(max_{j≠y} z_j − z_y + Δ_y, 0), reduced like LDAM: Σ w_y ℓ / Σ w_y with class weights.
 */
export function hingeLoss({ margins, classWeights }: HingeOptions): LossFunction {
  margins.forEach((m, j) => {
    if (!(m >= 0 && Number.isFinite(m))) throw new RangeError(`class ${j} has an invalid margin: ${m}`);
  });
  const numClasses = margins.length;
  checkClassWeights(classWeights, numClasses);
  return normalisedByClassWeights(
    (labels, logits) =>
      tf.tidy(() => {
        const oneHot = oneHotLabels(labels, logits, numClasses);
        const isTrue = tf.cast(oneHot, 'bool');
        // The true class is masked with −∞ so the max runs over j ≠ y; where() passes it no gradient.
        const others = tf.max(tf.where(isTrue, tf.fill(logits.shape, Number.NEGATIVE_INFINITY), logits), 1);
        const own = tf.sum(tf.mul(oneHot, logits), 1);
        const margin = tf.sum(tf.mul(oneHot, tf.tensor1d(margins as number[], 'float32')), 1);
        const perSample = tf.relu(tf.add(tf.sub(others, own), margin)) as tf.Tensor1D;
        return weightedMean(perSample, oneHot, classWeights);
      }),
    classWeights,
  );
}
