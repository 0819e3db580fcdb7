import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../trainer/engine/backend.ts';
import { accumulateGradients } from '../../../trainer/engine/gradients.ts';
import { buildModel } from '../../../trainer/models/index.ts';
import { randomValues, relativeError } from './kernels/against-cpu.ts';

const batch = 13;
const classWeights = tf.tidy(() => tf.keep(tf.tensor1d([0.2, 1, 3, 0.5, 1.5])));

function flatten(grads: tf.NamedTensorMap): number[] {
  return Object.keys(grads)
    .sort()
    .flatMap((name) => Array.from((grads[name] as tf.Tensor).dataSync()));
}

function disposeAll(result: { loss: tf.Scalar; grads: tf.NamedTensorMap }): void {
  result.loss.dispose();
  tf.dispose(Object.values(result.grads));
}

beforeAll(async () => {
  await selectBackend('wasm', {});
});

describe('accumulateGradients', () => {
  const model = () =>
    buildModel(
      { arch: 'mlp', hidden: [16] },
      { inputShape: [12], numClasses: 5, classifier: 'linear', seed: 3 },
    );
  const data = () => ({
    x: tf.tensor2d(randomValues(batch * 12, 8), [batch, 12]),
    y: tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 2, 2, 1], 'int32'), 5),
  });

  it('equals the full-batch gradient of a mean loss for a model without batch norm (uneven last micro-batch)', () => {
    const net = model();
    const { x, y } = data();
    const lossOf = (xs: tf.Tensor, ys: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(ys, net.apply(xs) as tf.Tensor) as tf.Scalar;
    const before = tf.memory().numTensors;
    const full = accumulateGradients(lossOf, x, y, batch);
    const split = accumulateGradients(lossOf, x, y, 4);
    expect(Object.keys(split.grads).sort()).toEqual(Object.keys(full.grads).sort());
    expect(relativeError(flatten(split.grads), flatten(full.grads))).toBeLessThanOrEqual(1e-5);
    expect(
      relativeError([split.loss.dataSync()[0] ?? Number.NaN], [full.loss.dataSync()[0] ?? 0]),
    ).toBeLessThanOrEqual(1e-5);
    disposeAll(full);
    disposeAll(split);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('equals the full-batch gradient of a class-weighted mean when weighted by Σ w_y per micro-batch', () => {
    const net = model();
    const { x, y } = data();
    // Σ_i w_{y_i} ℓ_i / Σ_i w_{y_i}: PyTorch cross_entropy(weight=…) semantics.
    const lossOf = (xs: tf.Tensor, ys: tf.Tensor) =>
      tf.tidy(() => {
        const w = tf.sum(tf.mul(ys, classWeights), 1);
        const perExample = tf.losses.softmaxCrossEntropy(
          ys,
          net.apply(xs) as tf.Tensor,
          undefined,
          undefined,
          tf.Reduction.NONE,
        );
        return tf.div(tf.sum(tf.mul(perExample, w)), tf.sum(w)) as tf.Scalar;
      });
    const weightOf = (ys: tf.Tensor) => tf.tidy(() => tf.sum(tf.mul(ys, classWeights)) as tf.Scalar);
    const full = accumulateGradients(lossOf, x, y, batch);
    const split = accumulateGradients(lossOf, x, y, 5, { weightOf });
    const unweighted = accumulateGradients(lossOf, x, y, 5);
    expect(relativeError(flatten(split.grads), flatten(full.grads))).toBeLessThanOrEqual(1e-5);
    expect(relativeError(flatten(unweighted.grads), flatten(full.grads))).toBeGreaterThan(1e-3);
    for (const r of [full, split, unweighted]) disposeAll(r);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('gives per-micro-batch statistics with batch norm, so the gradient differs from the full batch', () => {
    const net = buildModel(
      { arch: 'resnet8', hidden: [] },
      { inputShape: [8, 8, 3], numClasses: 5, classifier: 'linear', seed: 4 },
    );
    const x = tf.tensor4d(randomValues(8 * 8 * 8 * 3, 12), [8, 8, 8, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32'), 5);
    const lossOf = (xs: tf.Tensor, ys: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(ys, net.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar;
    const full = accumulateGradients(lossOf, x, y, 8);
    const split = accumulateGradients(lossOf, x, y, 4);
    expect(relativeError(flatten(split.grads), flatten(full.grads))).toBeGreaterThan(1e-3);
    disposeAll(full);
    disposeAll(split);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('rejects mismatched inputs and labels', () => {
    const x = tf.zeros([4, 3]);
    const y = tf.zeros([5, 2]);
    expect(() => accumulateGradients(() => tf.scalar(0), x, y, 2)).toThrow(/4 examples but labels 5/);
    tf.dispose([x, y]);
  });
});
