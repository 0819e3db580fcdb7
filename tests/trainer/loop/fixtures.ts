import type * as tf from '@tensorflow/tfjs';
import type { ExampleSplit, TrainingRun } from '../../../trainer/loop/index.ts';
import { createSgd, initialTrainerState } from '../../../trainer/loop/index.ts';
import { lossFn } from '../../../trainer/losses/index.ts';
import { EvaluationAccumulator } from '../../../trainer/metrics/index.ts';
import { buildModel } from '../../../trainer/models/index.ts';
import { createRng } from '../../../trainer/random/rng.ts';
import {
  classBalancedIndices,
  classBalancedWeights,
  shuffledIndices,
} from '../../../trainer/rebalance/index.ts';
import type { LossSpec, RebalanceSpec } from '../../../trainer/spec/index.ts';

// Small long-tailed Gaussian blobs: 3 classes in 6 dimensions, class means 3σ apart.
export const features = 6;
export const trainCounts = [80, 24, 8] as const;

function blobs(counts: readonly number[], seed: number): ExampleSplit {
  const rng = createRng(seed);
  const means = counts.map((_, c) => Array.from({ length: features }, (_, i) => (i === c ? 2.2 : 0)));
  const count = counts.reduce((a, b) => a + b, 0);
  const images = new Float32Array(count * features);
  const labels = new Int32Array(count);
  let n = 0;
  counts.forEach((k, c) => {
    for (let j = 0; j < k; j++, n++) {
      labels[n] = c;
      for (let i = 0; i < features; i++) images[n * features + i] = (means[c]?.[i] ?? 0) + rng.normal();
    }
  });
  return { images, labels, count };
}

export interface RunOptions {
  readonly seed?: number;
  readonly epochs?: number;
  readonly lr?: number;
  readonly loss?: LossSpec;
  readonly classifier?: 'linear' | 'cosine';
  readonly rule?: RebalanceSpec['rule'];
  readonly afterEpoch?: number;
  readonly validation?: boolean;
}

/** A complete TrainingRun over the blobs with the real losses, samplers and SGD. */
export function makeRun(options: RunOptions = {}): TrainingRun {
  const seed = options.seed ?? 1;
  const model = buildModel(
    { arch: 'mlp', hidden: [16] },
    {
      inputShape: [features],
      numClasses: 3,
      classifier: options.classifier ?? 'linear',
      seed,
    },
  );
  const lossSpec: LossSpec = options.loss ?? { type: 'ce' };
  const classCounts = [...trainCounts];
  const lr = options.lr ?? 0.1;
  return {
    model,
    data: {
      train: blobs(trainCounts, 11),
      test: blobs([30, 30, 30], 12),
      ...(options.validation === true ? { validation: blobs([20, 20, 20], 13) } : {}),
      inputShape: [features],
      numClasses: 3,
    },
    settings: {
      epochs: options.epochs ?? 4,
      batchSize: 16,
      evalEveryEpochs: 1,
      checkpointEveryEpochs: 2,
      lossReadEverySteps: 3,
    },
    optimizer: createSgd({ momentum: 0.9, weightDecay: 2e-4 }),
    lossFor: (classWeights) =>
      lossFn(lossSpec, classWeights === undefined ? { classCounts } : { classCounts, classWeights }),
    learningRateAt: () => lr,
    rebalance: {
      rule: options.rule ?? 'none',
      classWeights: classBalancedWeights(classCounts, 0.9999),
      afterEpoch: options.afterEpoch ?? null,
    },
    deferredActive: (epoch, after) => epoch > after,
    samplers: { shuffledIndices, classBalancedIndices },
    score: () => new EvaluationAccumulator({ numClasses: 3, trainCounts: classCounts }),
    initial: initialTrainerState(seed),
  };
}

export function disposeRun(run: TrainingRun): void {
  run.optimizer.dispose();
  run.model.dispose();
}

/** Copies weights into a fresh model of the same architecture (what a checkpoint load gives). */
export function cloneWeightsInto(run: TrainingRun, from: tf.LayersModel): void {
  run.model.setWeights(from.getWeights());
}
