import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointUnusableError,
  loadLatestCheckpoint,
  type NamedFloat32,
  saveCheckpoint,
  storeIOHandler,
} from '../../../trainer/checkpoint/index.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';

const jobId = 'j-checkpoint-test';
const dir = (epoch: number): string => `runs/${jobId}/checkpoints/epoch-${String(epoch).padStart(4, '0')}/`;
const roots: string[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

/** The epoch directories as the filesystem shows them (what a user listing the run sees). */
const epochDirsOnDisk = async (store: LocalDirStore): Promise<string[]> =>
  (await readdir(join(store.root, 'runs', jobId, 'checkpoints')))
    .filter((f) => f.startsWith('epoch-'))
    .sort();

async function freshStore(): Promise<LocalDirStore> {
  const root = await mkdtemp(join(tmpdir(), 'ldam-ckpt-'));
  roots.push(root);
  return new LocalDirStore(root);
}

/** A small MLP after a few SGD-momentum steps, so the optimizer has real momentum slots. */
async function trainedModel(
  seed: number,
): Promise<{ model: tf.LayersModel; optimizerState: NamedFloat32[] }> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [4],
        units: 8,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  const optimizer = tf.train.momentum(0.1, 0.9);
  const x = tf.randomNormal([16, 4], 0, 1, 'float32', seed);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3);
  for (let step = 0; step < 3; step++) {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar,
      true,
    );
    loss?.dispose();
  }
  tf.dispose([x, y]);
  const weights = await optimizer.getWeights();
  const optimizerState = weights.map((w) => ({
    name: w.name,
    shape: w.tensor.shape,
    values: w.tensor.dataSync() as Float32Array,
  }));
  optimizer.dispose();
  return { model, optimizerState };
}

const probe = (): tf.Tensor =>
  tf.tensor2d([
    [0.5, -1, 2, 0.25],
    [1, 1, 1, 1],
    [-3, 0, 0.5, 2],
  ]);
const predict = (model: tf.LayersModel): Float32Array =>
  tf.tidy(() => (model.predict(probe()) as tf.Tensor).dataSync() as Float32Array);
const bytesOf = (state: readonly NamedFloat32[]): Buffer[] =>
  state.map((t) => Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength));

describe('saveCheckpoint / loadLatestCheckpoint', () => {
  it('restores identical predictions, byte-exact optimizer state and the trainer state', async () => {
    const store = await freshStore();
    const { model, optimizerState } = await trainedModel(1);
    const trainerState = { step: 30, rng: { shuffle: 123456789 }, drw: 'reweighted', metricSeq: 17 };
    const before = tf.memory().numTensors;
    const manifest = await saveCheckpoint(store, jobId, { epoch: 3, model, optimizerState, trainerState });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(manifest.files).sort()).toEqual([
      'model.json',
      'optimizer.bin',
      'optimizer.json',
      'state.json',
      'weights.bin',
    ]);

    const loaded = await loadLatestCheckpoint(store, jobId);
    expect(loaded?.epoch).toBe(3);
    expect(loaded?.fallbackReason).toBeUndefined();
    expect(loaded?.trainerState).toEqual(trainerState);
    expect(Array.from(predict(loaded?.model as tf.LayersModel))).toEqual(Array.from(predict(model)));
    expect(loaded?.optimizerState.map((t) => [t.name, t.shape])).toEqual(
      optimizerState.map((t) => [t.name, t.shape]),
    );
    expect(bytesOf(loaded?.optimizerState ?? [])).toEqual(bytesOf(optimizerState));
    expect(optimizerState.length).toBeGreaterThan(0);
    loaded?.model.dispose();
    model.dispose();
  });

  it('writes latest.json last, after every file of the epoch directory', async () => {
    const store = await freshStore();
    const { model, optimizerState } = await trainedModel(2);
    const order: string[] = [];
    const recording = new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'put') return typeof value === 'function' ? value.bind(target) : value;
        return (key: string, body: Uint8Array | string) => {
          order.push(key.slice(`runs/${jobId}/checkpoints/`.length));
          return target.put(key, body);
        };
      },
    });
    await saveCheckpoint(recording, jobId, { epoch: 1, model, optimizerState, trainerState: {} });
    expect(order.at(-1)).toBe('latest.json');
    expect(order.at(-2)).toBe('epoch-0001/manifest.json');
    expect(order.slice(0, -2).sort()).toEqual(
      ['model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin'].map(
        (f) => `epoch-0001/${f}`,
      ),
    );
    model.dispose();
  });

  it('falls back to the previous checkpoint when the latest weights file is truncated', async () => {
    const store = await freshStore();
    const { model, optimizerState } = await trainedModel(3);
    await saveCheckpoint(store, jobId, { epoch: 1, model, optimizerState, trainerState: { at: 1 } });
    const epoch1 = predict(model);
    await saveCheckpoint(store, jobId, { epoch: 2, model, optimizerState, trainerState: { at: 2 } });
    const weights = await store.get(`${dir(2)}weights.bin`);
    await store.put(`${dir(2)}weights.bin`, weights.subarray(0, weights.length - 8));

    const loaded = await loadLatestCheckpoint(store, jobId);
    expect(loaded?.epoch).toBe(1);
    expect(loaded?.trainerState).toEqual({ at: 1 });
    expect(loaded?.fallbackReason).toMatch(/epoch-0002\/weights\.bin has \d+ bytes, expected \d+/);
    expect(Array.from(predict(loaded?.model as tf.LayersModel))).toEqual(Array.from(epoch1));
    loaded?.model.dispose();
    model.dispose();
  });

  it('falls back when the pointer names an object that is missing, or a file was altered', async () => {
    const store = await freshStore();
    const { model, optimizerState } = await trainedModel(4);
    for (const epoch of [1, 2, 3])
      await saveCheckpoint(store, jobId, {
        epoch,
        model,
        optimizerState,
        trainerState: { epoch },
        keepLast: 3,
      });
    await store.delete(`${dir(3)}optimizer.bin`);
    const state2 = new TextDecoder().decode(await store.get(`${dir(2)}state.json`));
    await store.put(`${dir(2)}state.json`, state2.replace('"epoch":2', '"epoch":9'));

    const loaded = await loadLatestCheckpoint(store, jobId);
    expect(loaded?.epoch).toBe(1);
    expect(loaded?.fallbackReason).toMatch(/epoch-0003\/optimizer\.bin is missing/);
    expect(loaded?.fallbackReason).toMatch(/epoch-0002\/state\.json does not match its sha256/);
    loaded?.model.dispose();
    model.dispose();
  });

  it('falls back when latest.json itself is missing or garbled', async () => {
    const store = await freshStore();
    const { model, optimizerState } = await trainedModel(5);
    await saveCheckpoint(store, jobId, { epoch: 4, model, optimizerState, trainerState: null });
    await store.put(`runs/${jobId}/checkpoints/latest.json`, '{"version":1,');
    const garbled = await loadLatestCheckpoint(store, jobId);
    expect(garbled?.epoch).toBe(4);
    expect(garbled?.fallbackReason).toMatch(/not JSON/);
    garbled?.model.dispose();
    await store.delete(`runs/${jobId}/checkpoints/latest.json`);
    const missing = await loadLatestCheckpoint(store, jobId);
    expect(missing?.epoch).toBe(4);
    expect(missing?.fallbackReason).toMatch(/latest\.json is missing/);
    missing?.model.dispose();
    model.dispose();
  });

  it('reports no checkpoint for a fresh job or a save that never finished, and an error when none verifies', async () => {
    const store = await freshStore();
    expect(await loadLatestCheckpoint(store, jobId)).toBeUndefined();
    await store.put(`${dir(1)}weights.bin`, new Uint8Array(16));
    expect(await loadLatestCheckpoint(store, jobId)).toBeUndefined();

    const { model, optimizerState } = await trainedModel(6);
    await saveCheckpoint(store, jobId, { epoch: 1, model, optimizerState, trainerState: {} });
    await store.put(`${dir(1)}model.json`, '{}');
    await expect(loadLatestCheckpoint(store, jobId)).rejects.toBeInstanceOf(CheckpointUnusableError);
    model.dispose();
  });

  it('keeps only the newest keepLast checkpoints and drops those of an abandoned later timeline', async () => {
    const store = await freshStore();
    const { model, optimizerState } = await trainedModel(7);
    for (const epoch of [1, 2, 3, 4])
      await saveCheckpoint(store, jobId, { epoch, model, optimizerState, trainerState: {}, keepLast: 2 });
    const epochsStored = async (): Promise<string[]> =>
      [
        ...new Set((await store.list(`runs/${jobId}/checkpoints/epoch-`)).map((o) => o.key.split('/')[3])),
      ].sort() as string[];
    expect(await epochsStored()).toEqual(['epoch-0003', 'epoch-0004']);
    expect(await epochDirsOnDisk(store)).toEqual(['epoch-0003', 'epoch-0004']);
    await saveCheckpoint(store, jobId, { epoch: 2, model, optimizerState, trainerState: {}, keepLast: 2 });
    expect(await epochsStored()).toEqual(['epoch-0002']);
    expect(await epochDirsOnDisk(store)).toEqual(['epoch-0002']);
    model.dispose();
  });

  it("keeps the best epoch's checkpoint when keepLast would delete it", async () => {
    const store = await freshStore();
    const { model, optimizerState } = await trainedModel(9);
    const save = (epoch: number, keepEpoch: number) =>
      saveCheckpoint(store, jobId, {
        epoch,
        model,
        optimizerState,
        trainerState: {},
        keepLast: 1,
        keepEpoch,
      });
    const stored = async (): Promise<string[]> =>
      [
        ...new Set((await store.list(`runs/${jobId}/checkpoints/epoch-`)).map((o) => o.key.split('/')[3])),
      ].sort() as string[];
    await save(1, 1);
    await save(2, 1);
    await save(3, 1);
    expect(await stored()).toEqual(['epoch-0001', 'epoch-0003']);
    expect(await epochDirsOnDisk(store)).toEqual(['epoch-0001', 'epoch-0003']);
    // A new best replaces the old one, which keepLast then lets go.
    await save(4, 4);
    await save(5, 4);
    expect(await stored()).toEqual(['epoch-0004', 'epoch-0005']);
    expect(await epochDirsOnDisk(store)).toEqual(['epoch-0004', 'epoch-0005']);
    const best = await loadLatestCheckpoint(store, jobId);
    expect(best?.epoch).toBe(5);
    best?.model.dispose();
    model.dispose();
  });
});

describe('storeIOHandler', () => {
  it('saves and loads a LayersModel through the store with tfjs model.save / loadLayersModel', async () => {
    const store = await freshStore();
    const { model } = await trainedModel(8);
    await model.save(storeIOHandler(store, 'runs/j-io-handler/model/'));
    expect((await store.list('runs/j-io-handler/model/')).map((o) => o.key)).toEqual([
      'runs/j-io-handler/model/model.json',
      'runs/j-io-handler/model/weights.bin',
    ]);
    const loaded = await tf.loadLayersModel(storeIOHandler(store, 'runs/j-io-handler/model/'));
    expect(Array.from(predict(loaded))).toEqual(Array.from(predict(model)));
    loaded.dispose();
    model.dispose();
  });
});
