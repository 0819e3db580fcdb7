import type * as tf from '@tensorflow/tfjs';

// cRT's model (Kang et al. 2020, §4): the stage-1 network's features, frozen, under a classifier
// initialised afresh. Every model of buildModel names its head 'classifier'.

export const classifierLayerName = 'classifier';

/**
 * Marks every layer but the classifier untrainable: SGD then sees the head's variables only
 * (`model.trainableWeights`) and BatchNorm keeps its moving statistics (batch-norm.ts).
 */
export function freezeFeatures(model: tf.LayersModel): void {
  model.getLayer(classifierLayerName);
  for (const layer of model.layers) if (layer.name !== classifierLayerName) layer.trainable = false;
}

/**
 * Copies every non-classifier layer's weights (BN statistics included) from `stage1` into
 * `fresh`, whose classifier keeps its new initialisation, then freezes the features of `fresh`.
 * Throws when the two networks differ in a layer's name or weight shapes.
 */
export function withStage1Features(stage1: tf.LayersModel, fresh: tf.LayersModel): tf.LayersModel {
  for (const layer of fresh.layers) {
    if (layer.name === classifierLayerName || layer.weights.length === 0) continue;
    const source = stage1.getLayer(layer.name);
    const weights = source.getWeights();
    const shapes = (ws: readonly tf.Tensor[]) => ws.map((w) => w.shape.join('x')).join(',');
    if (shapes(weights) !== shapes(layer.getWeights()))
      throw new Error(
        `stage-1 layer ${layer.name} has weights [${shapes(weights)}], this model [${shapes(layer.getWeights())}]`,
      );
    layer.setWeights(weights);
  }
  freezeFeatures(fresh);
  return fresh;
}
