import * as tf from '@tensorflow/tfjs';
import { createRng, type RandomSource } from '../random/rng.ts';

// Layers whose first weight is a kernel with the fan-in on every axis but the last.
const kernelLayers = new Set(['Conv2D', 'Dense', 'CosineClassifier']);

/** Kaiming-normal values: N(0, 2 / fanIn) (He et al. 2015, eq. 10; gain √2 for ReLU). */
export function kaimingNormalValues(shape: readonly number[], rng: RandomSource): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const std = Math.sqrt(2 / fanIn);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  return values;
}

/**
 * Re-initialises every conv, dense and cosine kernel with seeded Kaiming-normal values and every
 * bias with zeros, in layer order, so the same seed gives the same model on every backend.
 */
export function initialiseKaimingNormal(model: tf.LayersModel, seed: number): void {
  const rng = createRng(seed);
  for (const layer of model.layers) {
    if (!kernelLayers.has(layer.getClassName())) continue;
    // getWeights returns the live variables: read their shapes, never dispose them.
    const [kernel, ...rest] = layer.getWeights();
    if (kernel === undefined) continue;
    const fresh = [
      tf.tensor(kaimingNormalValues(kernel.shape, rng), kernel.shape),
      ...rest.map((w) => tf.zeros(w.shape)),
    ];
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
}
