// Training error per epoch beside the loss (the paper's Figure 3 plots it, dotted, against the
// balanced test error): the running top-1 error of the epoch's batches in training mode, each batch
// scored by the logits of its own step (before that step's update). It is kept per class and then
// weighted by the training set's class counts, so an epoch drawn by the class-balanced sampler
// (RS, DRS) still measures the error on the imbalanced training data, not on the resampled one.
import * as tf from '@tensorflow/tfjs';

/** Mistakes and examples seen per class over the batches of one epoch so far. */
export interface MistakeTally {
  readonly mistakes: readonly number[];
  readonly seen: readonly number[];
}

/** Per-class count of the batch's examples whose arg-max logit is not their label. */
export function mistakesByClass(labels: tf.Tensor1D, logits: tf.Tensor2D, numClasses: number): tf.Tensor1D {
  return tf.tidy(() => {
    const wrong = tf.cast(tf.notEqual(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32');
    const byClass = tf.mul(tf.oneHot(tf.cast(labels, 'int32'), numClasses), tf.expandDims(wrong, 1));
    return tf.sum(byClass, 0) as tf.Tensor1D;
  });
}

/** An epoch's running tally: mistakes per class on the backend (fed by the step's logits tap), examples seen on the host. */
export function startTally(numClasses: number, from?: MistakeTally) {
  let mistakes: tf.Tensor1D = tf.keep(
    tf.tensor1d([...(from?.mistakes ?? new Array<number>(numClasses).fill(0))]),
  );
  const seen = [...(from?.seen ?? new Array<number>(numClasses).fill(0))];
  return {
    tap: (labels: tf.Tensor1D, logits: tf.Tensor2D): void => {
      const next = tf.keep(tf.add(mistakes, mistakesByClass(labels, logits, numClasses)) as tf.Tensor1D);
      mistakes.dispose();
      mistakes = next;
    },
    count: (labels: Int32Array): void => {
      for (const label of labels) seen[label] = (seen[label] ?? 0) + 1;
    },
    /** Reads the tally once and frees its tensor. */
    read: async (): Promise<MistakeTally> => {
      const counted = Array.from(await mistakes.data());
      mistakes.dispose();
      return { mistakes: counted, seen };
    },
  };
}

/** Σ_c n_c · (mistakes_c / seen_c) / Σ_c n_c over the classes seen; null before any example. */
export function trainingError(tally: MistakeTally, classCounts: readonly number[]): number | null {
  let weighted = 0;
  let total = 0;
  tally.seen.forEach((seen, c) => {
    const n = classCounts[c] ?? 0;
    if (seen === 0 || n === 0) return;
    weighted += (n * (tally.mistakes[c] ?? 0)) / seen;
    total += n;
  });
  return total === 0 ? null : weighted / total;
}

/** Examples per class among labels in [0, numClasses). */
export function countByClass(labels: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}
