import type * as tf from '@tensorflow/tfjs';
import { type ClassifierHead, squaredColumnNorms } from '../metrics/index.ts';

/**
 * The linear head's ‖w_j‖² and b_j, stored beside the logits so τ-normalisation can be scored from
 * them later; null on a cosine head (τ-normalisation is the identity there). Read once per
 * evaluation pass, outside the training steps.
 */
export function classifierHeadOf(
  model: tf.LayersModel,
  classifier: 'linear' | 'cosine',
): ClassifierHead | null {
  if (classifier !== 'linear') return null;
  const [kernel, bias] = model.getLayer('classifier').getWeights();
  if (kernel === undefined) return null;
  const k = kernel.shape.at(-1) ?? 0;
  return {
    squaredNorms: squaredColumnNorms(kernel.dataSync() as Float32Array, k),
    bias: bias === undefined ? null : Array.from(bias.dataSync() as Float32Array),
  };
}
