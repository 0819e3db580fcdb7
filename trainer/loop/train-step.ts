import * as tf from '@tensorflow/tfjs';
import { accumulateGradients } from '../engine/index.ts';
import type { SgdOptimizer } from './sgd.ts';

/** A batch loss: integer labels and logits to a scalar (trainer/losses' `lossFn` makes them). */
export interface LossFunction {
  (labels: tf.Tensor1D, logits: tf.Tensor2D): tf.Scalar;
  /** Σ of the per-example weights the loss divides by (class-weighted means); absent = the batch size. */
  readonly normaliser?: (labels: tf.Tensor1D) => tf.Scalar;
}

/** The variables SGD updates, in the model's order (BN moving statistics are not among them). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Sees each (micro-)batch's training-mode logits inside the step's tidy: keep what it stores. */
export type LogitsTap = (labels: tf.Tensor1D, logits: tf.Tensor2D) => void;

/**
 * One optimisation step in training mode (BN uses and updates batch statistics). Returns
 * `runningSum + loss · batchSize` so the caller can read the loss rarely instead of per step.
 * With `microBatchSize` below the batch size the gradients are accumulated over micro-batches
 * (the same step, except that BN statistics become per micro-batch).
 */
export function trainStep(
  model: tf.LayersModel,
  variables: readonly tf.Variable[],
  optimizer: SgdOptimizer,
  loss: LossFunction,
  batch: { readonly x: tf.Tensor; readonly y: tf.Tensor1D },
  lr: number,
  runningSum: tf.Scalar,
  microBatchSize?: number,
  tap?: LogitsTap,
): tf.Scalar {
  const batchSize = batch.y.shape[0];
  return tf.tidy(() => {
    const lossOf = (x: tf.Tensor, y: tf.Tensor1D): tf.Scalar => {
      const logits = model.apply(x, { training: true }) as tf.Tensor2D;
      tap?.(y, logits);
      return loss(y, logits);
    };
    const { value, grads } =
      microBatchSize === undefined || microBatchSize >= batchSize
        ? tf.variableGrads(() => lossOf(batch.x, batch.y), [...variables])
        : accumulatedGradients(lossOf, loss.normaliser, variables, batch, microBatchSize);
    optimizer.apply(variables, grads, lr);
    return tf.add(runningSum, tf.mul(value, batchSize));
  });
}

function accumulatedGradients(
  lossOf: (x: tf.Tensor, y: tf.Tensor1D) => tf.Scalar,
  normaliser: LossFunction['normaliser'],
  variables: readonly tf.Variable[],
  batch: { readonly x: tf.Tensor; readonly y: tf.Tensor1D },
  microBatchSize: number,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const { loss, grads } = accumulateGradients(
    (x, y) => lossOf(x, y as tf.Tensor1D),
    batch.x,
    batch.y,
    microBatchSize,
    {
      varList: [...variables],
      // A class-weighted mean Σ w ℓ / Σ w: micro-batch k counts with its Σ w, not its size.
      ...(normaliser === undefined ? {} : { weightOf: (labels) => normaliser(labels as tf.Tensor1D) }),
    },
  );
  return { value: loss, grads };
}
