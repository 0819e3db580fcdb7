import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../trainer/models/index.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';

const resnetSpec = (arch: string) =>
  parseExperimentSpec({ version: 1, dataset: { name: 'cifar10' }, model: { arch } }).model;

function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
    0,
  );
}

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined) throw new Error('nothing saved');
  // A JSON round trip proves the topology needs nothing but registered classes to rebuild.
  const topology = JSON.parse(JSON.stringify(saved.modelTopology)) as object;
  return tf.loadLayersModel(tf.io.fromMemory({ ...saved, modelTopology: topology }));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildModel', () => {
  it.each([
    ['resnet8', 'linear', 75_290],
    ['resnet32', 'linear', 464_154],
    ['resnet32', 'cosine', 464_144],
  ] as const)(
    '%s with a %s head on 32×32×3, 10 classes, has %i trainable parameters',
    (arch, classifier, count) => {
      const model = buildModel(resnetSpec(arch), { inputShape: [32, 32, 3], numClasses: 10, classifier });
      expect(trainableParams(model)).toBe(count);
      expect(model.outputs[0]?.shape).toEqual([null, 10]);
      model.dispose();
    },
  );

  it('halves the spatial size at stages 2 and 3 with the parameter-free shortcut', () => {
    const model = buildModel(resnetSpec('resnet8'), {
      inputShape: [28, 28, 1],
      numClasses: 10,
      classifier: 'linear',
    });
    expect(model.getLayer('stage2_block1_shortcut').outputShape).toEqual([null, 14, 14, 32]);
    expect(model.getLayer('stage3_block1_shortcut').outputShape).toEqual([null, 7, 7, 64]);
    const out = tf.tidy(() => model.predict(tf.ones([2, 28, 28, 1])) as tf.Tensor);
    expect(out.shape).toEqual([2, 10]);
    out.dispose();
    model.dispose();
  });

  it('initialises kernels with seeded Kaiming-normal values (same seed, same weights; std ≈ √(2/fanIn))', () => {
    const spec = { arch: 'mlp', hidden: [64] } as const;
    const a = buildModel(spec, { inputShape: [100], numClasses: 3, classifier: 'linear', seed: 7 });
    const b = buildModel(spec, { inputShape: [100], numClasses: 3, classifier: 'linear', seed: 7 });
    const c = buildModel(spec, { inputShape: [100], numClasses: 3, classifier: 'linear', seed: 8 });
    const kernel = (m: tf.LayersModel) =>
      Float32Array.from(m.getLayer('hidden1').getWeights()[0]?.dataSync() ?? []);
    expect(Array.from(kernel(a))).toEqual(Array.from(kernel(b)));
    expect(Array.from(kernel(a))).not.toEqual(Array.from(kernel(c)));
    const values = kernel(a);
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 100), 2);
    expect(Array.from(a.getLayer('hidden1').getWeights()[1]?.dataSync() ?? [])).toEqual(
      new Array(64).fill(0),
    );
    for (const m of [a, b, c]) m.dispose();
  });

  it('cosine head outputs cosines in [−1, 1] equal to the normalised dot products', () => {
    const model = buildModel(
      { arch: 'mlp', hidden: [8] },
      { inputShape: [5], numClasses: 4, classifier: 'cosine' },
    );
    const x = tf.randomNormal([6, 5], 0, 3, 'float32', 1);
    const logits = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const features = (
      tf.model({ inputs: model.inputs, outputs: model.getLayer('hidden1').output }).predict(x) as tf.Tensor
    ).arraySync() as number[][];
    const w = model.getLayer('classifier').getWeights()[0]?.arraySync() as number[][];
    const column = (j: number) => w.map((row) => row[j] ?? 0);
    const norm = (v: number[]) => Math.sqrt(v.reduce((s, a) => s + a * a, 0));
    features.forEach((f, i) => {
      for (let j = 0; j < 4; j++) {
        const expected = f.reduce((s, a, k) => s + a * (column(j)[k] ?? 0), 0) / (norm(f) * norm(column(j)));
        const z = logits[i]?.[j] ?? Number.NaN;
        expect(z).toBeCloseTo(Number.isNaN(expected) ? 0 : expected, 5);
        expect(Math.abs(z)).toBeLessThanOrEqual(1 + 1e-6);
      }
    });
    x.dispose();
    model.dispose();
  });

  it.each(['linear', 'cosine'] as const)(
    'a resnet8 with a %s head saves and loads with identical predictions',
    async (classifier) => {
      const model = buildModel(resnetSpec('resnet8'), {
        inputShape: [16, 16, 3],
        numClasses: 5,
        classifier,
        seed: 3,
      });
      const loaded = await roundTrip(model);
      const x = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 2);
      const [before, after] = tf.tidy(() => [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor]);
      expect(Array.from(after?.dataSync() ?? [])).toEqual(Array.from(before?.dataSync() ?? []));
      expect(loaded.getLayer('classifier').getClassName()).toBe(
        classifier === 'cosine' ? 'CosineClassifier' : 'Dense',
      );
      tf.dispose([x, before, after]);
      model.dispose();
      loaded.dispose();
    },
  );
});

describe('buildModel gradients', () => {
  it('every trainable weight of a resnet8 with a cosine head gets a finite, non-zero gradient in training mode', () => {
    const model = buildModel(resnetSpec('resnet8'), {
      inputShape: [8, 8, 3],
      numClasses: 3,
      classifier: 'cosine',
    });
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 5);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.losses.softmaxCrossEntropy(
          labels,
          tf.mul(model.apply(x, { training: true }) as tf.Tensor, 10),
        ) as tf.Scalar,
      variables,
    );
    for (const v of variables) {
      const g = grads[v.name];
      expect(g, v.name).toBeDefined();
      const values = g?.dataSync() ?? new Float32Array();
      expect(values.every(Number.isFinite), v.name).toBe(true);
      expect(
        values.some((a) => a !== 0),
        v.name,
      ).toBe(true);
    }
    tf.dispose([x, labels, value, ...Object.values(grads)]);
    model.dispose();
  });
});
