import * as tf from '@tensorflow/tfjs';
import type { SgdOptimizer } from './sgd.ts';

/** A batch loss: integer labels and logits to a scalar (trainer/losses' `lossFn` makes them). */
export type LossFunction = (labels: tf.Tensor1D, logits: tf.Tensor2D) => tf.Scalar;

/** The variables SGD updates, in the model's order (BN moving statistics are not among them). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * One optimisation step in training mode (BN uses and updates batch statistics). Returns
 * `runningSum + loss · batchSize` so the caller can read the loss rarely instead of per step.
 */
export function trainStep(
  model: tf.LayersModel,
  variables: readonly tf.Variable[],
  optimizer: SgdOptimizer,
  loss: LossFunction,
  batch: { readonly x: tf.Tensor; readonly y: tf.Tensor1D },
  lr: number,
  runningSum: tf.Scalar,
): tf.Scalar {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => loss(batch.y, model.apply(batch.x, { training: true }) as tf.Tensor2D),
      [...variables],
    );
    optimizer.apply(variables, grads, lr);
    return tf.add(runningSum, tf.mul(value, batch.y.shape[0]));
  });
}
