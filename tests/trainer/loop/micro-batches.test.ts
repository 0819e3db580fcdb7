import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateTrainingPeakBytes, MemoryBudgetError } from '../../../trainer/engine/index.ts';
import type { LossFunction, TrainingRun } from '../../../trainer/loop/index.ts';
import { planTrainingMemory, runTraining } from '../../../trainer/loop/index.ts';
import { disposeRun, features, makeRun, type RunOptions } from './fixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The fixture run with its batch of 16 split as a budget that holds 6 examples dictates (6, 6, 4). */
function splitRun(options: RunOptions): { run: TrainingRun; microBatches: number } {
  const run = makeRun(options);
  const plan = planTrainingMemory(run.model, run.settings.batchSize, [features], {
    backend: 'cpu',
    budgetBytes: estimateTrainingPeakBytes(run.model, 6, [features]),
  });
  const settings = { ...run.settings, microBatchSize: plan.microBatchSize };
  return { run: { ...run, settings }, microBatches: plan.microBatches };
}

async function trainLossesAndWeights(run: TrainingRun): Promise<{ losses: number[]; weights: number[] }> {
  const outcome = await runTraining(run);
  const weights = run.model.getWeights().flatMap((w) => Array.from(w.dataSync()));
  disposeRun(run);
  return { losses: outcome.state.history.map((r) => r.trainLoss), weights };
}

function maxRelativeError(actual: readonly number[], expected: readonly number[]): number {
  expect(actual).toHaveLength(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  return Math.max(...actual.map((a, i) => Math.abs(a - (expected[i] ?? Number.NaN)) / scale));
}

const cases: Array<[string, RunOptions]> = [
  ['cross-entropy, no class weights', { epochs: 2 }],
  [
    'LDAM with DRW switched on after epoch 1 (class-weighted mean)',
    {
      epochs: 3,
      rule: 'drw',
      afterEpoch: 1,
      loss: { type: 'ldam', maxMargin: 0.5, scale: 30 },
      classifier: 'cosine',
    },
  ],
  [
    'reweighted logit-adjusted loss',
    { epochs: 2, rule: 'reweight', loss: { type: 'logit-adjusted', tau: 1 } },
  ],
  [
    'reweighted focal loss (a plain batch mean)',
    { epochs: 2, rule: 'reweight', loss: { type: 'focal', gamma: 1 } },
  ],
];

describe('training with micro-batches (MLP, no batch norm)', () => {
  it('plans three micro-batches of at most 6 under a 6-example budget, and refuses a budget below one example', () => {
    const run = makeRun();
    const plan = planTrainingMemory(run.model, 16, [features], {
      backend: 'cpu',
      budgetBytes: estimateTrainingPeakBytes(run.model, 6, [features]),
    });
    expect(plan).toMatchObject({ microBatches: 3, microBatchSize: 6, batchNormPerMicroBatch: false });
    expect(() =>
      planTrainingMemory(run.model, 16, [features], {
        backend: 'cpu',
        budgetBytes: estimateTrainingPeakBytes(run.model, 1, [features]) - 1,
      }),
    ).toThrow(MemoryBudgetError);
    disposeRun(run);
  });

  it.each(cases)('gives the full-batch losses and weights within 1e-5: %s', async (_, options) => {
    const full = await trainLossesAndWeights(makeRun(options));
    const { run, microBatches } = splitRun(options);
    expect(microBatches).toBe(3);
    const split = await trainLossesAndWeights(run);
    expect(maxRelativeError(split.losses, full.losses)).toBeLessThanOrEqual(1e-5);
    expect(maxRelativeError(split.weights, full.weights)).toBeLessThanOrEqual(1e-5);
  });

  it('needs the class-weighted normaliser: weighing micro-batches by size drifts once DRW is on', async () => {
    const options: RunOptions = { epochs: 2, rule: 'drw', afterEpoch: 1 };
    const full = await trainLossesAndWeights(makeRun(options));
    const { run } = splitRun(options);
    const bySize = (weights: readonly number[] | undefined): LossFunction => {
      const loss = run.lossFor(weights);
      return (labels, logits) => loss(labels, logits);
    };
    const split = await trainLossesAndWeights({ ...run, lossFor: bySize });
    expect(maxRelativeError(split.weights, full.weights)).toBeGreaterThan(1e-4);
  });

  it('keeps tf.memory().numTensors flat across epochs and leaves none behind', async () => {
    const before = tf.memory().numTensors;
    const { run: base } = splitRun({ epochs: 3, rule: 'drw', afterEpoch: 1 });
    const counts: number[] = [];
    const run = { ...base, hooks: { onEpoch: () => void counts.push(tf.memory().numTensors) } };
    await runTraining(run);
    expect(new Set(counts).size).toBe(1);
    disposeRun(run);
    expect(tf.memory().numTensors).toBe(before);
  });
});
