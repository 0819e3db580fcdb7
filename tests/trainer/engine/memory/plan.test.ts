import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../trainer/engine/backend.ts';
import {
  activationElementsPerExample,
  estimateTrainingPeakBytes,
} from '../../../../trainer/engine/memory/estimate.ts';
import { hostBudgetBytes } from '../../../../trainer/engine/memory/host.ts';
import {
  defaultBudgetBytes,
  MemoryBudgetError,
  planMicroBatches,
  wasmTrainingBudgetBytes,
} from '../../../../trainer/engine/memory/plan.ts';
import { buildModel } from '../../../../trainer/models/index.ts';

let resnet32: tf.LayersModel;
let mlp: tf.LayersModel;
const cifar = [32, 32, 3];

beforeAll(async () => {
  await selectBackend('cpu', {});
  resnet32 = buildModel(
    { arch: 'resnet32', hidden: [] },
    { inputShape: cifar, numClasses: 10, classifier: 'linear' },
  );
  mlp = buildModel(
    { arch: 'mlp', hidden: [256, 256] },
    { inputShape: [784], numClasses: 10, classifier: 'linear' },
  );
});

afterAll(() => {
  resnet32.dispose();
  mlp.dispose();
});

describe('estimateTrainingPeakBytes', () => {
  it('is about 22 MB per image for ResNet-32 (19 MB measured on the wasm heap, plus margin)', () => {
    const perImage =
      (estimateTrainingPeakBytes(resnet32, 128, cifar) - estimateTrainingPeakBytes(resnet32, 1, cifar)) / 127;
    expect(perImage / 1e6).toBeGreaterThan(19);
    expect(perImage / 1e6).toBeLessThan(25);
  });

  it('counts every layer output of one example', () => {
    // mlp: 784 input + 256 + 256 hidden + 10 logits.
    expect(activationElementsPerExample(mlp)).toBe(784 + 256 + 256 + 10);
  });

  it('rejects an input shape the model was not built for', () => {
    expect(() => estimateTrainingPeakBytes(resnet32, 8, [28, 28, 1])).toThrow(/expects inputs \[32, 32, 3\]/);
  });
});

describe('planMicroBatches', () => {
  it('keeps the reference recipe (ResNet-32, batch 128) in one pass on wasm', () => {
    const plan = planMicroBatches({ model: resnet32, batchSize: 128, inputShape: cifar, backend: 'wasm' });
    expect(plan).toMatchObject({ microBatchSize: 128, microBatches: 1, batchNormPerMicroBatch: false });
    expect(plan.budgetBytes).toBe(wasmTrainingBudgetBytes);
  });

  it('splits ResNet-32 batch 256 on wasm into equal micro-batches under 3 GiB and reports per-micro-batch BN', () => {
    const plan = planMicroBatches({ model: resnet32, batchSize: 256, inputShape: cifar, backend: 'wasm' });
    expect(plan.microBatches).toBeGreaterThan(1);
    expect(plan.microBatchSize * plan.microBatches).toBeGreaterThanOrEqual(256);
    expect(plan.microBatchSize * (plan.microBatches - 1)).toBeLessThan(256);
    expect(plan.estimatedPeakBytes).toBeLessThanOrEqual(wasmTrainingBudgetBytes);
    expect(plan.batchNormPerMicroBatch).toBe(true);
  });

  it('counts resident tensors against the budget', () => {
    const free = planMicroBatches({ model: resnet32, batchSize: 100, inputShape: cifar, backend: 'wasm' });
    const crowded = planMicroBatches({
      model: resnet32,
      batchSize: 100,
      inputShape: cifar,
      backend: 'wasm',
      residentBytes: 2.5 * 2 ** 30,
    });
    expect(free.microBatches).toBe(1);
    expect(crowded.microBatches).toBeGreaterThan(1);
  });

  it('does not flag batch norm for a model without it', () => {
    const plan = planMicroBatches({
      model: mlp,
      batchSize: 128,
      inputShape: [784],
      backend: 'wasm',
      budgetBytes: 10e6,
    });
    expect(plan.microBatches).toBeGreaterThan(1);
    expect(plan.batchNormPerMicroBatch).toBe(false);
  });

  it('does not limit backends without a hard heap by default', () => {
    const plan = planMicroBatches({ model: resnet32, batchSize: 512, inputShape: cifar, backend: 'cpu' });
    expect(plan.microBatches).toBe(1);
  });

  it('throws a clear error when even one example would not fit', () => {
    const attempt = () =>
      planMicroBatches({
        model: resnet32,
        batchSize: 8,
        inputShape: cifar,
        backend: 'wasm',
        budgetBytes: 10e6,
      });
    expect(attempt).toThrow(MemoryBudgetError);
    expect(attempt).toThrow(/one training example needs ~\d+ MiB but only \d+ MiB/);
  });
});

describe('the onednn budget (host memory, no 4 GiB ceiling)', () => {
  it('is three quarters of the smaller of host memory and the cgroup limit', () => {
    const gib = 2 ** 30;
    expect(hostBudgetBytes(64 * gib, 'max\n')).toBe(48 * gib);
    expect(hostBudgetBytes(64 * gib, undefined)).toBe(48 * gib);
    expect(hostBudgetBytes(64 * gib, `${8 * gib}\n`)).toBe(6 * gib);
    expect(hostBudgetBytes(4 * gib, `${16 * gib}`)).toBe(3 * gib);
  });

  it('lets ResNet-32 at batch 256 run in one pass on onednn when the host has the memory', () => {
    const plan = planMicroBatches({
      model: resnet32,
      batchSize: 256,
      inputShape: cifar,
      backend: 'onednn',
      budgetBytes: hostBudgetBytes(16 * 2 ** 30, 'max'),
    });
    expect(plan.microBatches).toBe(1);
    expect(plan.estimatedPeakBytes).toBeGreaterThan(wasmTrainingBudgetBytes);
    expect(defaultBudgetBytes('onednn')).toBeGreaterThan(0);
    expect(defaultBudgetBytes('tensorflow')).toBe(Number.POSITIVE_INFINITY);
  });
});
