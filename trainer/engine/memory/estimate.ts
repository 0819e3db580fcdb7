import type * as tf from '@tensorflow/tfjs';

// Peak tensor bytes of one training step (forward + backward + SGD-momentum update), calibrated
// with tf.profile peakBytes on wasm (tfjs 4.22): the tape keeps ~6.4 bytes-of-float per
// activation element (outputs of every layer plus the batch-norm and ReLU intermediates the
// gradients need), and weights, momentum, gradients and transients cost ~6.5 copies of the weights.
// ResNet-32 32×32×3: 28.0 MB per image measured, 28.9 estimated.

/** Bytes of tape per activation float, fitted over mlp/resnet8/20/32 at batch 8 and 32 (6.3–6.75). */
export const activationBytesFactor = 6.6 * 4;
/** Bytes per trainable or non-trainable weight: value, gradient, momentum and transients. */
export const weightBytesFactor = 6.5 * 4;

/** Sum over layers of each output's elements for one example (the input layer included). */
export function activationElementsPerExample(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const shapes = layer.outputShape;
    const list = (Array.isArray(shapes[0]) ? shapes : [shapes]) as (number | null)[][];
    for (const shape of list) {
      const perExample = shape.slice(1);
      if (perExample.some((d) => d === null)) {
        throw new Error(`layer '${layer.name}' has an unknown output shape [${shape.join(', ')}]`);
      }
      total += (perExample as number[]).reduce((n, d) => n * d, 1);
    }
  }
  return total;
}

/**
 * Estimated peak tensor bytes of one training step at `batchSize`. `inputShape` (one example)
 * must be the shape the model was built for.
 */
export function estimateTrainingPeakBytes(
  model: tf.LayersModel,
  batchSize: number,
  inputShape: readonly number[],
): number {
  const built = model.inputs[0]?.shape.slice(1) ?? [];
  if (built.length !== inputShape.length || built.some((d, i) => d !== inputShape[i])) {
    throw new Error(`model expects inputs [${built.join(', ')}], not [${inputShape.join(', ')}]`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  const weights = model.weights.reduce((n, w) => n + w.shape.reduce<number>((m, d) => m * (d ?? 1), 1), 0);
  return (
    batchSize * activationElementsPerExample(model) * activationBytesFactor + weights * weightBytesFactor
  );
}
