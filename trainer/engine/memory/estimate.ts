import type * as tf from '@tensorflow/tfjs';

// Peak memory of one training step (forward + backward + SGD-momentum update) on the wasm heap,
// the quantity whose overflow aborts the backend. Calibrated on the heap size after training
// steps in fresh processes (tfjs 4.22 with this engine's kernels): 4.2–4.5 floats of heap per
// activation element for resnet8/20/32 (the layer outputs plus the batch-norm and ReLU
// intermediates the tape keeps), e.g. 18 MiB per image for ResNet-32 at 32×32×3; 5 is used for
// margin. tf.profile's peakBytes reads ~1.5× higher (~28 MB per ResNet-32 image) because tfjs
// counts a buffer shared by several tensors (reshape, tape clones) once per tensor.

/** Heap bytes per activation element of a batch (5 floats; measured 4.2–4.5). */
export const activationBytesFactor = 5 * 4;
/** Bytes per weight element: value, gradient, momentum and transients (~6.5 floats). */
export const weightBytesFactor = 6.5 * 4;

/**
 * Tensors of its output's size a layer leaves on the tape: one, but the shared batch norm with its
 * ReLU folded in (trainer/models/batch-norm.ts) stands for the layers it replaced, BN → ReLU or BN
 * → add → ReLU, whose intermediates the stock ops of wasm and cpu still make (measured on the wasm
 * heap: 16.0 MiB per ResNet-32 image with the fused layers, 18 MiB without).
 */
function tensorsPerOutput(layer: tf.layers.Layer): number {
  if (layer.getClassName() !== 'LdamBatchNorm' || layer.getConfig().relu !== true) return 1;
  return 1 + (layer.inboundNodes[0]?.inputTensors.length ?? 1);
}

/** Sum over layers of each output's elements for one example (the input layer included). */
export function activationElementsPerExample(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const copies = tensorsPerOutput(layer);
    const shapes = layer.outputShape;
    const list = (Array.isArray(shapes[0]) ? shapes : [shapes]) as (number | null)[][];
    for (const shape of list) {
      const perExample = shape.slice(1);
      if (perExample.some((d) => d === null)) {
        throw new Error(`layer '${layer.name}' has an unknown output shape [${shape.join(', ')}]`);
      }
      total += copies * (perExample as number[]).reduce((n, d) => n * d, 1);
    }
  }
  return total;
}

/**
 * Estimated peak heap bytes of one training step at `batchSize`. `inputShape` (one example)
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
