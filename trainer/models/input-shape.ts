import type * as tf from '@tensorflow/tfjs';

// tfjs hands a layer's build and computeOutputShape either the shape of its one input or a list
// of input shapes; the custom layers read the first input's.

/** The shape of the layer's first input. */
export function firstInputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/** The first input's last dimension (its features), which `layer` needs known to build. */
export function featureDimension(inputShape: tf.Shape | tf.Shape[], layer: string): number {
  const shape = firstInputShape(inputShape);
  const features = shape[shape.length - 1];
  if (features == null) throw new Error(`${layer} needs a known feature dimension`);
  return features;
}
