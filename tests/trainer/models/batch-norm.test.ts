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

// A ResNet block's end as one layer, relu(BN(x) + residual), against the tfjs-layers
// composition: BatchNormalization → add → ReLU. Output, the gradients of x, the residual, γ and
// β, and the moving statistics after the step.
function blockEnd(
  makeLayers: () => (x: tf.SymbolicTensor, s: tf.SymbolicTensor) => tf.SymbolicTensor,
): number[][] {
  const n = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    randomValues(n, 50).map((v) => 2 * v - 0.5),
    shape,
  );
  const residual = tf.tensor(randomValues(n, 51), shape);
  const r = tf.tensor(randomValues(n, 52), shape);
  const inputs = [tf.input({ shape: shape.slice(1) }), tf.input({ shape: shape.slice(1) })] as const;
  const model = tf.model({ inputs: [...inputs], outputs: makeLayers()(...inputs) });
  const bn = model.layers.find((l) => l.weights.length === 4);
  if (bn === undefined) throw new Error('no batch-norm layer');
  tf.tidy(() =>
    bn.setWeights([
      tf.tensor1d(randomValues(6, 53)),
      tf.tensor1d(randomValues(6, 54)),
      tf.zeros([6]),
      tf.ones([6]),
    ]),
  );
  const out = tf.tidy(() => {
    const loss = (a: tf.Tensor, s: tf.Tensor) =>
      tf.sum(tf.mul(model.apply([a, s], { training: true }) as tf.Tensor, r));
    const [dx, ds] = tf.grads(loss)([x, residual]) as [tf.Tensor, tf.Tensor];
    const { grads } = tf.variableGrads(
      () => loss(x, residual) as tf.Scalar,
      bn.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    return [
      model.apply([x, residual], { training: true }) as tf.Tensor,
      dx,
      ds,
      ...Object.values(grads),
      ...bn
        .getWeights()
        .slice(2)
        .map((w) => w.clone()),
      model.apply([x, residual]) as tf.Tensor,
    ];
  });
  const values = out.map((t) => Array.from(t.dataSync()));
  tf.dispose([...out, x, residual, r]);
  model.dispose();
  return values;
}

describe.each([
  ['cpu', true],
  ['wasm', true],
  ['onednn', onednnBuilt],
] as const)('BatchNorm layer with relu and a residual on %s', (backend, available) => {
  it.skipIf(!available)(
    'matches BatchNormalization → add → ReLU, gradients and statistics included',
    async () => {
      await selectBackend(backend, { LDAM_THREADS: '2' });
      const reference = blockEnd(() => {
        const bn = tf.layers.batchNormalization(args);
        return (x, s) =>
          tf.layers
            .reLU()
            .apply(tf.layers.add().apply([bn.apply(x) as tf.SymbolicTensor, s])) as tf.SymbolicTensor;
      });
      const before = tf.memory().numTensors;
      const actual = blockEnd(() => {
        const bn = new BatchNorm({ ...args, relu: true });
        return (x, s) => bn.apply([x, s]) as tf.SymbolicTensor;
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(actual.length).toBe(reference.length);
      reference.forEach((ref, i) => {
        expect(relativeError(actual[i] ?? [], ref), `output ${i}`).toBeLessThanOrEqual(1e-4);
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
