import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../trainer/engine/backend.ts';
import { estimateTrainingPeakBytes } from '../../../../trainer/engine/memory/estimate.ts';
import { buildModel } from '../../../../trainer/models/index.ts';

// The estimate against what tf.profile measures for real training steps on wasm.

beforeAll(async () => {
  await selectBackend('wasm', {});
});

describe('estimateTrainingPeakBytes against tf.profile on wasm', () => {
  it.each([
    ['mlp', [784], 16],
    ['resnet8', [28, 28, 1], 8],
    ['resnet20', [32, 32, 3], 4],
  ] as const)('%s %j at batch %i is within 25%% above the measured peak', async (arch, inputShape, batch) => {
    const model = buildModel(
      { arch, hidden: [256, 256] },
      { inputShape, numClasses: 10, classifier: 'linear' },
    );
    const optimizer = tf.train.momentum(0.01, 0.9);
    const x = tf.randomNormal([batch, ...inputShape]);
    const y = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: batch }, (_, i) => i % 10),
        'int32',
      ),
      10,
    );
    const step = () => {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      );
      loss?.dispose();
    };
    step();
    const measured = (await tf.profile(step)).peakBytes;
    const estimated = estimateTrainingPeakBytes(model, batch, inputShape);
    expect(estimated).toBeGreaterThanOrEqual(measured * 0.95);
    expect(estimated).toBeLessThanOrEqual(measured * 1.25);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  });
});
