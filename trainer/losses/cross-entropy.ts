import * as tf from '@tensorflow/tfjs';

/** A batch loss: int32 labels [N] and logits [N, K] to a scalar. Pure; call inside or outside tidy. */
export interface LossFunction {
  (labels: tf.Tensor1D, logits: tf.Tensor2D): tf.Scalar;
  /**
   * What the loss divides its per-sample sum by, from the labels (Σ_i w_{y_i} for a class-weighted
   * mean); absent for a plain batch mean. Gradient accumulation weighs micro-batches by it.
   */
  readonly normaliser?: (labels: tf.Tensor1D) => tf.Scalar;
}

/** One-hot labels [N, K] in float32, checking that the logits have one column per class. */
export function oneHotLabels(labels: tf.Tensor1D, logits: tf.Tensor2D, numClasses: number): tf.Tensor2D {
  const [rows, columns] = logits.shape;
  if (columns !== numClasses)
    throw new RangeError(`logits have ${columns} classes, the loss expects ${numClasses}`);
  if (labels.shape[0] !== rows) throw new RangeError(`${labels.shape[0]} labels for ${rows} rows of logits`);
  if (labels.dtype !== 'int32') throw new TypeError(`labels must be int32, got ${labels.dtype}`);
  return tf.cast(tf.oneHot(labels, numClasses), 'float32') as tf.Tensor2D;
}

/** Per-sample cross-entropy ℓ_i = −log softmax(z_i)_{y_i}; tf.logSoftmax subtracts the row max first. */
export function perSampleCrossEntropy(oneHot: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

/** w_{y_i} per sample [N]; a product with the one-hot rows, so no gather (and no gather gradient). */
export function sampleWeights(oneHot: tf.Tensor2D, classWeights: readonly number[]): tf.Tensor1D {
  return tf.sum(tf.mul(oneHot, tf.tensor1d(classWeights as number[], 'float32')), 1);
}

/**
 * Σ_i w_{y_i}·ℓ_i / Σ_i w_{y_i}, PyTorch's `cross_entropy(weight=…)` reduction (Cao et al. 2019's
 * reference); the plain batch mean without weights.
 */
export function weightedMean(
  perSample: tf.Tensor1D,
  oneHot: tf.Tensor2D,
  classWeights: readonly number[] | undefined,
): tf.Scalar {
  if (classWeights === undefined) return tf.mean(perSample);
  const weights = sampleWeights(oneHot, classWeights);
  return tf.div(tf.sum(tf.mul(weights, perSample)), tf.sum(weights));
}

/** Tags a loss reduced by `weightedMean` with its normaliser Σ_i w_{y_i}; unchanged without weights. */
export function normalisedByClassWeights(
  loss: (labels: tf.Tensor1D, logits: tf.Tensor2D) => tf.Scalar,
  classWeights: readonly number[] | undefined,
): LossFunction {
  if (classWeights === undefined) return loss;
  const weights = [...classWeights];
  const normaliser = (labels: tf.Tensor1D): tf.Scalar =>
    tf.tidy(() => tf.sum(tf.gather(tf.tensor1d(weights, 'float32'), labels)));
  return Object.assign(loss, { normaliser });
}

/**
 * The (class-weighted) softmax cross-entropy of adjusted logits, as a LossFunction: CE, LDAM and the
 * logit-adjusted loss differ only in how they shift the logits before the softmax.
 */
export function adjustedCrossEntropy(
  numClasses: number,
  classWeights: readonly number[] | undefined,
  adjust: (logits: tf.Tensor2D, oneHot: tf.Tensor2D) => tf.Tensor2D = (logits) => logits,
): LossFunction {
  checkClassWeights(classWeights, numClasses);
  return normalisedByClassWeights(
    (labels, logits) =>
      tf.tidy(() => {
        const oneHot = oneHotLabels(labels, logits, numClasses);
        return weightedMean(perSampleCrossEntropy(oneHot, adjust(logits, oneHot)), oneHot, classWeights);
      }),
    classWeights,
  );
}

/** Throws unless there is one finite, non-negative weight per class. */
export function checkClassWeights(classWeights: readonly number[] | undefined, numClasses: number): void {
  if (classWeights === undefined) return;
  if (classWeights.length !== numClasses)
    throw new RangeError(`${classWeights.length} class weights for ${numClasses} classes`);
  classWeights.forEach((w, c) => {
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`class ${c} has an invalid weight: ${w}`);
  });
}
