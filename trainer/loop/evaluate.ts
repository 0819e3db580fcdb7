import * as tf from '@tensorflow/tfjs';
import type { Evaluation } from '../metrics/index.ts';
import { type ExampleSplit, splitBatches } from './batches.ts';

/** Turns a split's labels and predicted classes into an evaluation (trainer/metrics). */
export type ScorePredictions = (labels: Int32Array, predictions: Int32Array) => Evaluation;

/** Predicted class (argmax of the logits) of every example, in inference mode, batch by batch. */
export async function predictClasses(
  model: tf.LayersModel,
  split: ExampleSplit,
  inputShape: readonly number[],
  batchSize: number,
): Promise<Int32Array> {
  const exampleSize = inputShape.reduce((a, b) => a * b, 1);
  const predictions = new Int32Array(split.count);
  let start = 0;
  for await (const batch of splitBatches(split, batchSize, exampleSize)) {
    const classes = tf.tidy(() => {
      const x = tf.tensor(batch.images, [batch.size, ...inputShape]);
      return tf.argMax(model.apply(x, { training: false }) as tf.Tensor, -1);
    });
    predictions.set(await classes.data(), start);
    classes.dispose();
    start += batch.size;
  }
  return predictions;
}
