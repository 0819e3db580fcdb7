import * as tf from '@tensorflow/tfjs';

/** Flatten → hidden ReLU layers; the classifier is added by the caller. */
export function mlpFeatures(input: tf.SymbolicTensor, hidden: readonly number[]): tf.SymbolicTensor {
  let x =
    input.shape.length > 2
      ? (tf.layers.flatten({ name: 'flatten' }).apply(input) as tf.SymbolicTensor)
      : input;
  hidden.forEach((units, i) => {
    x = tf.layers.dense({ units, activation: 'relu', name: `hidden${i + 1}` }).apply(x) as tf.SymbolicTensor;
  });
  return x;
}
