import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../trainer/engine/backend.ts';
import { buildModel } from '../../../trainer/models/index.ts';
import { randomValues, relativeError } from './kernels/against-cpu.ts';
import { onednnBuilt } from './onednn/on-onednn.ts';

// The product's resnet8 trained four SGD-momentum steps from the same seed and data must give the
// same losses and weights on each fast backend (wasm with the engine's kernels; onednn with native
// kernels and pooled buffers) as on stock cpu. The cpu reference is trained once for both.

const batch = 4;
const inputShape = [12, 12, 3] as const;
const steps = 4;

interface Trained {
  readonly losses: number[];
  readonly counts: number[];
  readonly weights: number[];
}

async function train(backend: 'cpu' | 'wasm' | 'onednn'): Promise<Trained> {
  await tf.setBackend(backend);
  const model = buildModel(
    { arch: 'resnet8', hidden: [] },
    { inputShape, numClasses: 10, classifier: 'linear', seed: 5 },
  );
  const optimizer = tf.train.momentum(0.05, 0.9);
  const x = tf.tensor4d(randomValues(batch * 12 * 12 * 3, 99), [batch, ...inputShape]);
  const labels = tf.oneHot(tf.tensor1d([3, 7, 0, 9], 'int32'), 10);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(
      () =>
        tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
    );
    losses.push((await loss?.data())?.[0] ?? Number.NaN);
    loss?.dispose();
    counts.push(tf.memory().numTensors);
  }
  // Moving statistics included: they are weights too.
  const weights = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
  return { losses, counts, weights };
}

let reference: Trained;
beforeAll(async () => {
  await selectBackend('wasm', {});
  if (onednnBuilt) await selectBackend('onednn', { LDAM_THREADS: '2' });
  reference = await train('cpu');
});

const backends = [
  { backend: 'wasm', skip: false },
  { backend: 'onednn', skip: !onednnBuilt },
] as const;

describe.each(backends)('resnet8 training on $backend matches cpu', ({ backend, skip }) => {
  it.skipIf(skip)(
    'gives the same losses and weights after four SGD-momentum steps, with a flat tensor count',
    async () => {
      const actual = await train(backend);
      expect(reference.losses[steps - 1]).not.toBe(reference.losses[0]);
      for (let step = 0; step < steps; step++) {
        expect(
          relativeError([actual.losses[step] ?? Number.NaN], [reference.losses[step] ?? 0]),
          `step ${step}`,
        ).toBeLessThanOrEqual(1e-4);
      }
      expect(relativeError(actual.weights, reference.weights)).toBeLessThanOrEqual(1e-4);
      // Momentum slots appear at the first step; after that nothing may accumulate.
      expect(new Set(actual.counts.slice(1)).size).toBe(1);
    },
  );
});
