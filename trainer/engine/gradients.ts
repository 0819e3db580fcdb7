import * as tf from '@tensorflow/tfjs';

export interface AccumulateOptions {
  /** Variables to differentiate; default every trainable variable (as optimizer.minimize). */
  readonly varList?: tf.Variable[];
  /**
   * Weight of a micro-batch in the full-batch loss, from its labels; default its size (right for
   * a mean loss). For a class-weighted mean Σ w_y ℓ / Σ w_y pass the micro-batch's Σ w_y.
   */
  readonly weightOf?: (labels: tf.Tensor, size: number) => tf.Scalar;
}

export interface BatchGradients {
  /** The full-batch loss: Σ_k (W_k / W) · loss_k. The caller disposes it. */
  readonly loss: tf.Scalar;
  /** Gradients of that loss by variable name, for optimizer.applyGradients. The caller disposes them. */
  readonly grads: tf.NamedTensorMap;
}

/**
 * Gradients of a batch computed `microBatchSize` examples at a time and combined with weights
 * W_k / W, so the result equals one full-batch pass for any loss that is a (weighted) mean over
 * examples — except batch-norm statistics, which become per micro-batch.
 * `lossOf(x, y)` must return the loss of its inputs normalised as the full-batch loss is.
 */
export function accumulateGradients(
  lossOf: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  y: tf.Tensor,
  microBatchSize: number,
  options: AccumulateOptions = {},
): BatchGradients {
  const batchSize = x.shape[0] ?? 0;
  if ((y.shape[0] ?? 0) !== batchSize)
    throw new Error(`inputs have ${batchSize} examples but labels ${y.shape[0]}`);
  if (!Number.isInteger(microBatchSize) || microBatchSize < 1)
    throw new Error(`micro-batch size must be a positive integer`);
  if (microBatchSize >= batchSize) {
    const { value, grads } = tf.variableGrads(() => lossOf(x, y), options.varList);
    return { loss: value, grads };
  }
  const weightOf = options.weightOf ?? ((_: tf.Tensor, size: number) => tf.scalar(size));
  let loss: tf.Scalar = tf.scalar(0);
  const sums: tf.NamedTensorMap = {};
  let totalWeight: tf.Scalar = tf.scalar(0);
  for (let start = 0; start < batchSize; start += microBatchSize) {
    const size = Math.min(microBatchSize, batchSize - start);
    const part = tf.tidy(() => {
      const xs = tf.slice(x, start, size);
      const ys = tf.slice(y, start, size);
      const weight = weightOf(ys, size);
      const { value, grads } = tf.variableGrads(() => lossOf(xs, ys), options.varList);
      const weighted: tf.NamedTensorMap = {};
      for (const [name, grad] of Object.entries(grads)) weighted[name] = tf.mul(grad, weight);
      return { value: tf.mul(value, weight) as tf.Scalar, weight, weighted };
    });
    loss = addInPlace(loss, part.value);
    totalWeight = addInPlace(totalWeight, part.weight);
    for (const [name, grad] of Object.entries(part.weighted)) {
      const previous = sums[name];
      sums[name] = previous === undefined ? grad : addInPlace(previous, grad);
    }
  }
  const grads: tf.NamedTensorMap = {};
  for (const [name, sum] of Object.entries(sums)) {
    grads[name] = tf.div(sum, totalWeight);
    sum.dispose();
  }
  const mean = tf.div(loss, totalWeight) as tf.Scalar;
  tf.dispose([loss, totalWeight]);
  return { loss: mean, grads };
}

/** a + b, disposing both operands. */
function addInPlace<T extends tf.Tensor>(a: T, b: tf.Tensor): T {
  const sum = tf.add(a, b) as T;
  a.dispose();
  b.dispose();
  return sum;
}
