import type * as tf from '@tensorflow/tfjs';
import { type LogitAdjustment, logitAdjustments, tauNormAdjustments } from '../metrics/index.ts';

/**
 * The post-hoc views scored at every evaluation: logit adjustment from the training priors, and
 * τ-normalisation from the linear head's current weights (none on a cosine head, where it is the
 * identity). Reads the head once per evaluation pass, outside the training steps.
 */
export function posthocAdjustments(
  model: tf.LayersModel,
  classifier: 'linear' | 'cosine',
  trainCounts: readonly number[],
): LogitAdjustment[] {
  const adjustments = logitAdjustments(trainCounts);
  if (classifier !== 'linear') return adjustments;
  const head = model.getLayer('classifier');
  const [kernel, bias] = head.getWeights();
  if (kernel === undefined) return adjustments;
  return [
    ...adjustments,
    ...tauNormAdjustments(
      kernel.dataSync() as Float32Array,
      bias === undefined ? null : (bias.dataSync() as Float32Array),
      trainCounts.length,
    ),
  ];
}
