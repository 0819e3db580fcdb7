import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { LossFunction } from '../../../trainer/losses/index.ts';
import { relativeError } from '../../support/relative-error.ts';

// Shared by the golden loss suites: a float32 loss against PyTorch's float64 value and gradient.

export interface GoldenLoss {
  readonly labels: readonly number[];
  /** Row-major [labels.length, numClasses]. */
  readonly logits: readonly number[];
  readonly numClasses: number;
  readonly value: number;
  /** d loss / d logits, row-major like `logits`. */
  readonly grad: readonly number[];
}

/** The loss's value and its gradient in the logits are within 1e-4 of the golden ones; no tensor leaks. */
export function expectMatchesGolden(loss32: LossFunction, golden: GoldenLoss): void {
  const before = tf.memory().numTensors;
  const labels = tf.tensor1d(golden.labels.slice(), 'int32');
  const logits = tf.tensor2d(golden.logits.slice(), [golden.labels.length, golden.numClasses]);
  const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => loss32(labels, z as tf.Tensor2D))(logits);
  expect(relativeError([value.dataSync()[0] as number], [golden.value])).toBeLessThanOrEqual(1e-4);
  expect(relativeError(grad.dataSync(), golden.grad)).toBeLessThanOrEqual(1e-4);
  tf.dispose([labels, logits, value, grad]);
  expect(tf.memory().numTensors).toBe(before);
}
