// A few training steps of the ImageNet ResNets on the project's wasm kernels. An integration test
// because a ResNet-50 step moves 23.5 M weights: seconds alone, a minute on a loaded 2-core machine.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../trainer/engine/backend.ts';
import { createSgd, trainableVariables, trainStep } from '../../../trainer/loop/index.ts';
import { lossFn } from '../../../trainer/losses/index.ts';
import { buildModel } from '../../../trainer/models/index.ts';

const build = (
  arch: 'resnet18' | 'resnet50',
  numClasses: number,
  classifier: 'linear' | 'cosine',
  side: number,
) => buildModel({ arch, hidden: [] }, { inputShape: [side, side, 3], numClasses, classifier });

beforeAll(async () => {
  await selectBackend('wasm', {});
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('ImageNet-style ResNets in training', { timeout: 300_000 }, () => {
  it.each(['resnet18', 'resnet50'] as const)(
    '%s trains LDAM steps on 16×16 inputs: finite loss, weights move, tensor count flat',
    async (arch) => {
      const model = build(arch, 3, 'cosine', 16);
      const variables = trainableVariables(model);
      const sgd = createSgd({ momentum: 0.9, weightDecay: 2e-4 });
      const loss = lossFn({ type: 'ldam', maxMargin: 0.5, scale: 30 }, { classCounts: [20, 5, 1] });
      const x = tf.randomNormal([3, 16, 16, 3], 0, 1, 'float32', 3);
      const y = tf.tensor1d([0, 1, 2], 'int32');
      const stem = () => Array.from(model.getLayer('stem_conv').getWeights()[0]?.dataSync() ?? []);
      const before = stem();
      const counts: number[] = [];
      for (let step = 0; step < 2; step++) {
        const zero = tf.scalar(0);
        const sum = trainStep(model, variables, sgd, loss, { x, y }, 0.01, zero);
        expect(Number.isFinite((await sum.data())[0])).toBe(true);
        tf.dispose([zero, sum]);
        counts.push(tf.memory().numTensors);
      }
      expect(stem()).not.toEqual(before);
      // Momentum buffers appear at the first step; nothing accumulates after it.
      expect(counts[1]).toBe(counts[0]);
      tf.dispose([x, y]);
      sgd.dispose();
      model.dispose();
    },
  );
});
