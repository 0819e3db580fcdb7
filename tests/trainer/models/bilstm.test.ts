import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../trainer/models/index.ts';
import { onBoth, prepareBackends, relativeError } from '../engine/kernels/against-cpu.ts';

const sizes = { embeddingDim: 3, units: 2, dropout: 0 };
const build = (maxLength: number, classifier: 'linear' | 'cosine' = 'linear') =>
  buildModel(
    { arch: 'bilstm', hidden: [], bilstm: sizes },
    { inputShape: [maxLength], numClasses: 2, classifier, vocabSize: 7, seed: 3 },
  );

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** torch.nn.LSTM's equations, one direction, one sequence, in plain numbers (gates i, f, g, o). */
function lstmDirection(xs: number[][], w: number[][], u: number[][], b: number[]): number[][] {
  const units = u.length;
  let h = new Array<number>(units).fill(0);
  let c = new Array<number>(units).fill(0);
  return xs.map((x) => {
    const z = b.map(
      (bias, j) =>
        bias +
        x.reduce((s, v, k) => s + v * (w[k]?.[j] ?? 0), 0) +
        h.reduce((s, v, k) => s + v * (u[k]?.[j] ?? 0), 0),
    );
    const gate = (g: number, j: number) => z[g * units + j] ?? 0;
    c = c.map((cj, j) => sigmoid(gate(1, j)) * cj + sigmoid(gate(0, j)) * Math.tanh(gate(2, j)));
    h = c.map((cj, j) => sigmoid(gate(3, j)) * Math.tanh(cj));
    return h;
  });
}

function bidirectional(
  xs: number[][],
  kernel: number[][][],
  recurrent: number[][][],
  bias: number[][][],
): number[][] {
  const forward = lstmDirection(xs, kernel[0] ?? [], recurrent[0] ?? [], bias[0]?.[0] ?? []);
  const backward = lstmDirection(
    [...xs].reverse(),
    kernel[1] ?? [],
    recurrent[1] ?? [],
    bias[1]?.[0] ?? [],
  ).reverse();
  return forward.map((f, t) => [...f, ...(backward[t] ?? [])]);
}

describe('bilstm model', () => {
  it('matches the LSTM equations computed by hand: two bidirectional layers, mean over the real tokens, linear head', () => {
    const model = build(6);
    const weights = (name: string) =>
      model
        .getLayer(name)
        .getWeights()
        .map((w) => w.arraySync());
    const [table] = weights('embedding') as [number[][]];
    const tokens = [4, 2, 6, 1];
    const embedded = tokens.map((id) => table[id] ?? []);
    const [k1, u1, b1] = weights('bilstm1') as number[][][][];
    const [k2, u2, b2] = weights('bilstm2') as number[][][][];
    const second = bidirectional(
      bidirectional(embedded, k1 ?? [], u1 ?? [], b1 ?? []),
      k2 ?? [],
      u2 ?? [],
      b2 ?? [],
    );
    const pooled = (second[0] ?? []).map(
      (_, j) => second.reduce((s, row) => s + (row[j] ?? 0), 0) / second.length,
    );
    const [dense, denseBias] = weights('classifier') as [number[][], number[]];
    const expected = [0, 1].map(
      (k) => (denseBias[k] ?? 0) + pooled.reduce((s, v, j) => s + v * (dense[j]?.[k] ?? 0), 0),
    );
    const actual = tf.tidy(() =>
      (model.apply(tf.tensor2d([[...tokens, 0, 0]])) as tf.Tensor).arraySync(),
    ) as number[][];
    expect(relativeError(actual[0] ?? [], expected)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('gives the same logits whatever the padding (padding never reaches a real position)', () => {
    const short = build(3);
    const long = build(9, 'cosine');
    const longLinear = build(9);
    const a = tf.tidy(() => (short.apply(tf.tensor2d([[5, 6, 2]])) as tf.Tensor).arraySync());
    const b = tf.tidy(() =>
      (longLinear.apply(tf.tensor2d([[5, 6, 2, 0, 0, 0, 0, 0, 0]])) as tf.Tensor).arraySync(),
    );
    expect(relativeError((b as number[][])[0] ?? [], (a as number[][])[0] ?? [])).toBeLessThan(1e-6);
    expect(long.getLayer('classifier').getClassName()).toBe('CosineClassifier');
    for (const m of [short, long, longLinear]) m.dispose();
  });

  it('counts embedding, 2 × 2 directions of LSTM weights (one bias per gate) and the head', () => {
    const model = buildModel(
      { arch: 'bilstm', hidden: [], bilstm: { embeddingDim: 16, units: 8, dropout: 0.2 } },
      { inputShape: [10], numClasses: 2, classifier: 'linear', vocabSize: 100 },
    );
    const count = model.trainableWeights.reduce(
      (n, w) => n + w.shape.reduce((a: number, d) => a * (d ?? 1), 1),
      0,
    );
    const gates = 4 * 8;
    expect(count).toBe(100 * 16 + 2 * (gates * (16 + 8 + 1)) + 2 * (gates * (16 + 8 + 1)) + 16 * 2 + 2);
    model.dispose();
  });

  it('round-trips through save and load with its custom layers', async () => {
    const model = build(5);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const topology = JSON.parse(JSON.stringify(saved?.modelTopology)) as object;
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ ...saved, modelTopology: topology }));
    const x = tf.tensor2d([[1, 3, 5, 0, 0]]);
    const [a, b] = [model, loaded].map((m) => (m.apply(x) as tf.Tensor).arraySync() as number[][]);
    expect(b).toEqual(a);
    model.dispose();
    loaded.dispose();
    x.dispose();
  });

  it('has the same gradients on wasm (engine kernels) as on cpu', async () => {
    await prepareBackends();
    const { reference, actual } = await onBoth(() => {
      const model = build(4);
      const x = tf.tensor2d([
        [1, 2, 3, 0],
        [6, 5, 0, 0],
        [2, 2, 2, 2],
      ]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 1], 'int32'), 2);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar,
        vars,
      );
      const flat = tf.concat(vars.map((v) => (grads[v.name] as tf.Tensor).flatten()));
      model.dispose();
      return flat;
    });
    expect(reference.values.some((v) => v !== 0)).toBe(true);
    expect(relativeError(actual.values, reference.values)).toBeLessThan(1e-5);
  });
});
