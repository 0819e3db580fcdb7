import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../trainer/engine/backend.ts';
import { BatchNorm } from '../../../trainer/models/batch-norm.ts';
import { hasNativeBatchNorm } from '../../../trainer/models/batch-norm-kernels.ts';
import { randomValues, relativeError } from '../engine/kernels/against-cpu.ts';
import { onednnBuilt } from '../engine/onednn/on-onednn.ts';

// The shared layer against tfjs-layers' own BatchNormalization (same weights, same input) on each
// backend: the training output, the gradients of x, γ and β, the moving statistics after the
// step and the inference output.

const shape = [3, 4, 4, 6];

interface Outcome {
  readonly values: number[][];
}

function step(layer: tf.layers.Layer, x: tf.Tensor, r: tf.Tensor): number[][] {
  const out = tf.tidy(() => {
    const trainable = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar,
      trainable,
    );
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a, { training: true }) as tf.Tensor, r)))(
      x,
    );
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    return [
      y,
      value,
      dx,
      ...Object.values(grads),
      ...layer
        .getWeights()
        .slice(2)
        .map((w) => w.clone()),
      layer.apply(x) as tf.Tensor,
    ];
  });
  const values = out.map((t) => Array.from(t.dataSync()));
  tf.dispose(out);
  return values;
}

function run(makeLayer: () => tf.layers.Layer): Outcome {
  const x = tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      40,
    ).map((v) => 2 * v + 0.5),
    shape,
  );
  const r = tf.tensor(randomValues(x.size, 41), shape);
  const layer = makeLayer();
  const input = tf.input({ shape: shape.slice(1) });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  tf.tidy(() =>
    layer.setWeights([
      tf.tensor1d(randomValues(6, 42)),
      tf.tensor1d(randomValues(6, 43)),
      tf.zeros([6]),
      tf.ones([6]),
    ]),
  );
  const values = step(layer, x, r);
  tf.dispose([x, r]);
  model.dispose();
  return { values };
}

const args = { momentum: 0.9, epsilon: 1e-5 };

describe.each([
  ['cpu', true],
  ['wasm', true],
  ['onednn', onednnBuilt],
] as const)('BatchNorm layer on %s', (backend, available) => {
  it.skipIf(!available)(
    'matches tfjs-layers BatchNormalization: output, gradients, moving statistics',
    async () => {
      await selectBackend(backend, { LDAM_THREADS: '2' });
      expect(hasNativeBatchNorm()).toBe(backend === 'onednn');
      const reference = run(() => tf.layers.batchNormalization(args));
      const before = tf.memory().numTensors;
      const actual = run(() => new BatchNorm(args));
      expect(tf.memory().numTensors).toBe(before);
      expect(actual.values.length).toBe(reference.values.length);
      reference.values.forEach((ref, i) => {
        expect(relativeError(actual.values[i] ?? [], ref), `output ${i}`).toBeLessThanOrEqual(1e-4);
      });
    },
  );
});

describe('BatchNorm layer serialisation', () => {
  it('round-trips its config and keeps tfjs weight names and order', async () => {
    await selectBackend('cpu', {});
    const names = (layer: tf.layers.Layer) => {
      const input = tf.input({ shape: [4, 4, 3] });
      const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
      const found = layer.weights.map((w) => [w.name, w.trainable]);
      model.dispose();
      return found;
    };
    const ours = names(new BatchNorm({ ...args, name: 'bn' }));
    // The second layer named 'bn' gets tfjs's unique-name suffix on its weights.
    const stock = names(tf.layers.batchNormalization({ ...args, name: 'bn' }));
    expect(stock.map(([n, t]) => [String(n).replace(/_\d+$/, ''), t])).toEqual(ours);
    expect(ours.map(([n]) => n)).toEqual(['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    const input = tf.input({ shape: [4, 4, 3] });
    const layer = new BatchNorm({ ...args, name: 'bn2' });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    const restored = await tf.models.modelFromJSON({
      modelTopology: model.toJSON(null, false),
    } as tf.io.ModelJSON);
    expect(restored.layers[1]).toBeInstanceOf(BatchNorm);
    expect(restored.layers[1]?.getConfig()).toEqual(layer.getConfig());
    model.dispose();
    restored.dispose();
  });
});
