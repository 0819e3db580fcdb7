import { adjustedCrossEntropy, type LossFunction } from './cross-entropy.ts';

export interface CrossEntropyOptions {
  readonly numClasses: number;
  readonly classWeights?: readonly number[];
}

/** Softmax cross-entropy, class-weighted mean when weights are given (the ERM / RW / DRW baseline). */
export function crossEntropyLoss({ numClasses, classWeights }: CrossEntropyOptions): LossFunction {
  return adjustedCrossEntropy(numClasses, classWeights);
}
