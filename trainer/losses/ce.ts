import * as tf from '@tensorflow/tfjs';
import {
  checkClassWeights,
  type LossFunction,
  normalisedByClassWeights,
  oneHotLabels,
  perSampleCrossEntropy,
  weightedMean,
} from './cross-entropy.ts';

export interface CrossEntropyOptions {
  readonly numClasses: number;
  readonly classWeights?: readonly number[];
}

/** Softmax cross-entropy, class-weighted mean when weights are given (the ERM / RW / DRW baseline). */
export function crossEntropyLoss({ numClasses, classWeights }: CrossEntropyOptions): LossFunction {
  checkClassWeights(classWeights, numClasses);
  return normalisedByClassWeights(
    (labels, logits) =>
      tf.tidy(() => {
        const oneHot = oneHotLabels(labels, logits, numClasses);
        return weightedMean(perSampleCrossEntropy(oneHot, logits), oneHot, classWeights);
      }),
    classWeights,
  );
}
