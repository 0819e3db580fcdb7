import * as tf from '@tensorflow/tfjs';
import { createRng } from '../random/rng.ts';
import type { BilstmSpec } from '../spec/index.ts';
import { BiLstm, MaskedMeanPool } from './bilstm-layer.ts';

/**
 * Token ids → embedding → two bidirectional LSTM layers → mean over the real tokens (padding, id 0,
 * masked out); the classifier is added by the caller. Ids arrive as float32 and are cast here.
 */
export function bilstmFeatures(
  input: tf.SymbolicTensor,
  spec: BilstmSpec,
  vocabSize: number,
): tf.SymbolicTensor {
  const ids = input;
  let x = tf.layers
    .embedding({ inputDim: vocabSize, outputDim: spec.embeddingDim, name: 'embedding' })
    .apply(ids) as tf.SymbolicTensor;
  const dropout = (name: string) => (t: tf.SymbolicTensor) =>
    spec.dropout > 0 ? (tf.layers.dropout({ rate: spec.dropout, name }).apply(t) as tf.SymbolicTensor) : t;
  x = dropout('embedding_dropout')(x);
  x = new BiLstm({ units: spec.units, name: 'bilstm1' }).apply([x, ids]) as tf.SymbolicTensor;
  x = dropout('bilstm1_dropout')(x);
  x = new BiLstm({ units: spec.units, name: 'bilstm2' }).apply([x, ids]) as tf.SymbolicTensor;
  return new MaskedMeanPool({ name: 'masked_mean' }).apply([x, ids]) as tf.SymbolicTensor;
}

/**
 * Seeded PyTorch initialisation: embedding N(0, 1) (torch.nn.Embedding), every LSTM weight and bias
 * U(−1/√H, 1/√H) (torch.nn.LSTM), in layer order.
 */
export function initialiseBilstm(model: tf.LayersModel, seed: number): void {
  const rng = createRng(seed);
  for (const layer of model.layers) {
    const name = layer.getClassName();
    if (name !== 'Embedding' && name !== 'BiLstm') continue;
    const bound = name === 'BiLstm' ? 1 / Math.sqrt((layer as BiLstm).units) : 0;
    const fresh = layer.getWeights().map((w) => {
      const values = new Float32Array(w.size);
      for (let i = 0; i < values.length; i++)
        values[i] = bound === 0 ? rng.normal() : (2 * rng.next() - 1) * bound;
      return tf.tensor(values, w.shape);
    });
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
}
