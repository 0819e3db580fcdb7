import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSgd, trainableVariables, trainStep } from '../../../trainer/loop/index.ts';
import { lossFn } from '../../../trainer/losses/index.ts';
import { buildModel, classifierLayerName, withStage1Features } from '../../../trainer/models/index.ts';

// cRT's model: stage 1's features (BN statistics included) copied exactly under a new head, frozen;
// a training step then moves the head only, and frozen BatchNorm normalises with its stored
// statistics in training mode too.

const shape = { arch: 'resnet8' as const, hidden: [8] };
const build = (seed: number) =>
  buildModel(shape, { inputShape: [8, 8, 3], numClasses: 3, classifier: 'linear', seed });
const values = (model: tf.LayersModel, layer: string) =>
  model
    .getLayer(layer)
    .getWeights()
    .map((w) => Array.from(w.dataSync()));

let stage1: tf.LayersModel;
let model: tf.LayersModel;
let initialHead: number[][];

beforeAll(async () => {
  await tf.setBackend('cpu');
  stage1 = build(1);
  // Stage 1 trained a little, so its BN moving statistics are not the initial ones.
  const sgd = createSgd({ momentum: 0.9, weightDecay: 0 });
  const x = tf.randomNormal([6, 8, 8, 3], 0, 1, 'float32', 7);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
  const loss = lossFn({ type: 'ce' }, { classCounts: [2, 2, 2] });
  tf.dispose(trainStep(stage1, trainableVariables(stage1), sgd, loss, { x, y }, 0.1, tf.scalar(0)));
  const fresh = build(2);
  initialHead = values(fresh, classifierLayerName);
  model = withStage1Features(stage1, fresh);
  tf.dispose([x, y]);
});

afterAll(() => {
  stage1.dispose();
  model.dispose();
});

describe('withStage1Features (cRT)', () => {
  it("copies every feature weight bit for bit and keeps the new head's initialisation", () => {
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      if (layer.name === classifierLayerName) {
        expect(values(model, layer.name)).toEqual(initialHead);
        expect(values(model, layer.name)).not.toEqual(values(stage1, layer.name));
      } else {
        expect(values(model, layer.name), layer.name).toEqual(values(stage1, layer.name));
      }
    }
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual([
      `${classifierLayerName}/kernel`,
      `${classifierLayerName}/bias`,
    ]);
  });

  it('trains the head only; frozen BN uses its moving statistics in training mode as in inference', () => {
    const x = tf.randomNormal([5, 8, 8, 3], 0, 1, 'float32', 11);
    const y = tf.tensor1d([0, 1, 2, 1, 0], 'int32');
    const features = model.layers.filter((l) => l.name !== classifierLayerName && l.weights.length > 0);
    const before = features.map((l) => values(model, l.name));
    const head = values(model, classifierLayerName);
    const inference = model.predict(x) as tf.Tensor;
    const training = model.apply(x, { training: true }) as tf.Tensor;
    expect(Array.from(training.dataSync())).toEqual(Array.from(inference.dataSync()));

    const sgd = createSgd({ momentum: 0.9, weightDecay: 2e-4 });
    const loss = lossFn({ type: 'ce' }, { classCounts: [2, 2, 1] });
    const zero = tf.scalar(0);
    const tensorsBefore = tf.memory().numTensors;
    tf.dispose(trainStep(model, trainableVariables(model), sgd, loss, { x, y }, 0.1, zero));
    expect(features.map((l) => values(model, l.name))).toEqual(before);
    expect(values(model, classifierLayerName)).not.toEqual(head);
    // Only the head's momentum buffers are new.
    expect(tf.memory().numTensors - tensorsBefore).toBe(2);
    tf.dispose([x, y, zero, inference, training]);
  });
});
