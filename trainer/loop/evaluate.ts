import * as tf from '@tensorflow/tfjs';
import type { Evaluation } from '../metrics/index.ts';
import type { ExampleSplit } from './batches.ts';

/** One evaluation pass of a split, fed batch by batch (trainer/metrics' EvaluationAccumulator). */
export interface SplitEvaluator {
  addLogits(labels: Int32Array, logits: Float32Array): void;
  finish(): Evaluation;
}

/** Starts a fresh evaluation pass. */
export type StartEvaluation = () => SplitEvaluator;

/**
 * Runs the model in inference mode over a split, batch by batch, handing each batch's logits to
 * the evaluator so a split is never held as an N×K matrix (8,142 classes would not fit).
 */
export async function evaluateSplit(
  model: tf.LayersModel,
  split: ExampleSplit,
  inputShape: readonly number[],
  batchSize: number,
  start: StartEvaluation,
): Promise<Evaluation> {
  const evaluator = start();
  await forEachLogitBatch(model, split, inputShape, batchSize, (labels, logits) => {
    evaluator.addLogits(labels, logits);
  });
  return evaluator.finish();
}

/** Calls `visit` with the labels and row-major logits of each batch of the split. */
export async function forEachLogitBatch(
  model: tf.LayersModel,
  split: ExampleSplit,
  inputShape: readonly number[],
  batchSize: number,
  visit: (labels: Int32Array, logits: Float32Array) => void,
): Promise<void> {
  const exampleSize = inputShape.reduce((a, b) => a * b, 1);
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    const logits = tf.tidy(() => {
      const x = tf.tensor(split.images.subarray(start * exampleSize, (start + size) * exampleSize), [
        size,
        ...inputShape,
      ]);
      return model.apply(x, { training: false }) as tf.Tensor;
    });
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    visit(split.labels.subarray(start, start + size), values);
  }
}

/** Predicted class (argmax of the logits) of every example, in inference mode, batch by batch. */
export async function predictClasses(
  model: tf.LayersModel,
  split: ExampleSplit,
  inputShape: readonly number[],
  batchSize: number,
): Promise<Int32Array> {
  const predictions = new Int32Array(split.count);
  let offset = 0;
  await forEachLogitBatch(model, split, inputShape, batchSize, (labels, logits) => {
    const k = logits.length / labels.length;
    for (let i = 0; i < labels.length; i++) {
      let best = 0;
      for (let j = 1; j < k; j++)
        if ((logits[i * k + j] as number) > (logits[i * k + best] as number)) best = j;
      predictions[offset + i] = best;
    }
    offset += labels.length;
  });
  return predictions;
}
