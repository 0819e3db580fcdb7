import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../../trainer/loop/index.ts';
import { mistakesByClass, trainingError } from '../../../trainer/loop/train-error.ts';
import { disposeRun, makeRun } from './fixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the training error recorded per epoch', () => {
  it('counts arg-max mistakes per true class', () => {
    const labels = tf.tensor1d([0, 0, 1, 2, 2], 'int32');
    const logits = tf.tensor2d([
      [3, 1, 0], // right
      [0, 2, 1], // class 0 taken for 1
      [0, 1, 5], // class 1 taken for 2
      [0, 0, 4], // right
      [1, 0, 0], // class 2 taken for 0
    ]);
    const counted = mistakesByClass(labels, logits, 3);
    expect(Array.from(counted.dataSync())).toEqual([1, 1, 1]);
    tf.dispose([labels, logits, counted]);
  });

  it('weights per-class error by the training counts, so a resampled epoch measures the imbalanced set', () => {
    const counts = [90, 10];
    // Uniform epoch: every example once, so it is plain mistakes / examples.
    expect(trainingError({ mistakes: [9, 5], seen: [90, 10] }, counts)).toBeCloseTo(14 / 100, 12);
    // Class-balanced draws: 50 of each; 10% and 50% wrong → 0.9·0.1 + 0.1·0.5.
    expect(trainingError({ mistakes: [5, 25], seen: [50, 50] }, counts)).toBeCloseTo(0.14, 12);
    // A class never drawn is left out of the mean; nothing seen gives null.
    expect(trainingError({ mistakes: [9, 0], seen: [90, 0] }, counts)).toBeCloseTo(0.1, 12);
    expect(trainingError({ mistakes: [0, 0], seen: [0, 0] }, counts)).toBeNull();
  });

  it("equals the model's own error on the training set when no step changes it (lr 0)", async () => {
    const run = makeRun({ epochs: 1, lr: 0 });
    const logits = run.model.predict(
      tf.tensor2d(run.data.train.images, [run.data.train.count, 6]),
    ) as tf.Tensor2D;
    const predicted = Array.from(tf.argMax(logits, 1).dataSync());
    const wrong = predicted.filter((p, i) => p !== run.data.train.labels[i]).length;
    const outcome = await runTraining(run);
    expect(outcome.state.history[0]?.trainError).toBeCloseTo(wrong / run.data.train.count, 6);
    tf.dispose(logits);
    disposeRun(run);
  });

  it('falls as the model learns the blobs', async () => {
    const run = makeRun({ epochs: 6 });
    const history = (await runTraining(run)).state.history;
    const errors = history.map((r) => r.trainError ?? Number.NaN);
    expect(errors.every((e) => e >= 0 && e <= 1)).toBe(true);
    expect(errors.at(-1)).toBeLessThan(errors[0] ?? 0);
    disposeRun(run);
  });
});
