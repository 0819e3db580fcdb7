import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LossFunction, TrainingOutcome } from '../../../trainer/loop/index.ts';
import { DivergedError, runTraining, trainableVariables } from '../../../trainer/loop/index.ts';
import { classBalancedIndices } from '../../../trainer/rebalance/index.ts';
import { cloneWeightsInto, disposeRun, makeRun, trainCounts } from './fixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const losses = (outcome: TrainingOutcome) => outcome.state.history.map((r) => r.trainLoss);

describe('runTraining', () => {
  it('lowers the training loss and evaluates every epoch', async () => {
    const run = makeRun({ epochs: 6 });
    const outcome = await runTraining(run);
    expect(outcome.status).toBe('completed');
    const history = outcome.state.history;
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(history.at(-1)?.trainLoss).toBeLessThan((history[0]?.trainLoss ?? 0) * 0.7);
    expect(history.every((r) => r.test !== undefined)).toBe(true);
    expect(outcome.state.step).toBe(6 * Math.ceil(112 / 16));
    if (outcome.status === 'completed') expect(outcome.final.test.perClassError).toHaveLength(3);
    disposeRun(run);
  });

  it('switches DRW class weights on exactly after afterEpoch completed epochs', async () => {
    const base = makeRun({
      epochs: 5,
      rule: 'drw',
      afterEpoch: 3,
      loss: { type: 'ldam', maxMargin: 0.5, scale: 30 },
      classifier: 'cosine',
    });
    const requested: (readonly number[] | undefined)[] = [];
    const run = {
      ...base,
      lossFor: (w: readonly number[] | undefined): LossFunction => {
        requested.push(w);
        return base.lossFor(w);
      },
    };
    const outcome = await runTraining(run);
    expect(outcome.state.history.map((r) => r.lossWeighted)).toEqual([false, false, false, true, true]);
    expect(requested).toEqual([undefined, run.rebalance.classWeights]);
    expect(outcome.state.history.every((r) => r.sampler === 'uniform')).toBe(true);
    disposeRun(run);
  });

  it('engages the class-balanced sampler for DRS after afterEpoch, drawing as many examples as the set has', async () => {
    const base = makeRun({ epochs: 3, rule: 'drs', afterEpoch: 1 });
    const draws: number[] = [];
    const run = {
      ...base,
      samplers: {
        ...base.samplers,
        classBalancedIndices: (
          labels: Int32Array,
          weights: readonly number[],
          count: number,
          rng: Parameters<typeof classBalancedIndices>[3],
        ) => {
          const drawn = classBalancedIndices(labels, weights, count, rng);
          draws.push(drawn.length);
          const tail = drawn.filter((i) => labels[i] === 2).length;
          // The tail class holds 8 of 112 examples; class-balanced draws give it far more than 7%.
          expect(tail / drawn.length).toBeGreaterThan(0.2);
          return drawn;
        },
      },
    };
    const outcome = await runTraining(run);
    expect(outcome.state.history.map((r) => r.sampler)).toEqual([
      'uniform',
      'class-balanced',
      'class-balanced',
    ]);
    expect(draws).toEqual([112, 112]);
    expect(outcome.state.history.every((r) => !r.lossWeighted)).toBe(true);
    disposeRun(run);
  });

  it('keeps tf.memory().numTensors flat across epochs and leaves none behind', async () => {
    const before = tf.memory().numTensors;
    const base = makeRun({ epochs: 5, rule: 'drw', afterEpoch: 1 });
    const counts: number[] = [];
    const run = { ...base, hooks: { onEpoch: () => void counts.push(tf.memory().numTensors) } };
    await runTraining(run);
    expect(counts).toHaveLength(5);
    expect(new Set(counts).size).toBe(1);
    disposeRun(run);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic: the same seed gives the same losses, another seed different ones', async () => {
    const outcomes: number[][] = [];
    for (const seed of [5, 5, 6]) {
      const run = makeRun({ seed, epochs: 3, rule: 'resample' });
      outcomes.push(losses(await runTraining(run)));
      disposeRun(run);
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).not.toEqual(outcomes[0]);
  });

  it('throws DivergedError when the loss becomes NaN or infinite (LDAM with a linear head, lr 10)', async () => {
    const run = makeRun({
      epochs: 5,
      lr: 10,
      loss: { type: 'ldam', maxMargin: 0.5, scale: 30 },
      classifier: 'linear',
    });
    await expect(runTraining(run)).rejects.toBeInstanceOf(DivergedError);
    disposeRun(run);
  });
});

describe('runTraining stop and resume', () => {
  it('stops after the current step when aborted and resumes mid-epoch to exactly the uninterrupted losses', async () => {
    const reference = makeRun({ epochs: 4, rule: 'drs', afterEpoch: 2 });
    const uninterrupted = await runTraining(reference);
    const expected = losses(uninterrupted);
    disposeRun(reference);

    const first = makeRun({ epochs: 4, rule: 'drs', afterEpoch: 2 });
    const controller = new AbortController();
    const stopped = await runTraining({
      ...first,
      signal: controller.signal,
      hooks: { onProgress: (p) => void (p.epoch === 3 && p.batch === 3 && controller.abort()) },
    });
    expect(stopped.status).toBe('stopped');
    expect(stopped.state).toMatchObject({ completedEpochs: 2, batchesDone: 3 });
    if (stopped.status !== 'stopped') throw new Error('expected a stop');

    const second = makeRun({ epochs: 4, rule: 'drs', afterEpoch: 2, seed: 99 });
    cloneWeightsInto(second, stopped.snapshot.model);
    second.optimizer.importState(stopped.snapshot.optimizer, trainableVariables(second.model));
    const resumed = await runTraining({
      ...second,
      initial: JSON.parse(JSON.stringify(stopped.snapshot.trainer)),
    });
    expect(losses(resumed)).toEqual(expected);
    // The epoch's training-error tally is checkpointed too, class-balanced draws included.
    expect(resumed.state.history.map((r) => r.trainError)).toEqual(
      uninterrupted.state.history.map((r) => r.trainError),
    );
    disposeRun(first);
    disposeRun(second);
  });

  it('hands a checkpoint snapshot to the sink every checkpointEveryEpochs epochs and after the last', async () => {
    const run = makeRun({ epochs: 5 });
    const epochs: number[] = [];
    await runTraining({
      ...run,
      hooks: { onCheckpoint: async (s) => void epochs.push(s.trainer.completedEpochs) },
    });
    expect(epochs).toEqual([2, 4, 5]);
    expect(trainCounts.reduce((a, b) => a + b, 0)).toBe(112);
    disposeRun(run);
  });

  it('with checkpointBest also checkpoints each epoch that becomes the best', async () => {
    const run = makeRun({ epochs: 5 });
    const saved: Array<[number, number | undefined]> = [];
    const outcome = await runTraining({
      ...run,
      settings: { ...run.settings, checkpointBest: true },
      hooks: {
        onCheckpoint: async (s) => void saved.push([s.trainer.completedEpochs, s.trainer.best?.epoch]),
      },
    });
    if (outcome.status !== 'completed') throw new Error('not completed');
    const improved = outcome.state.history
      .filter((r, i, all) =>
        all.slice(0, i).every((p) => (p.test?.balancedError ?? 1) > (r.test?.balancedError ?? 1)),
      )
      .map((r) => r.epoch);
    expect(saved.map(([epoch]) => epoch)).toEqual([...new Set([...improved, 2, 4, 5])].sort((a, b) => a - b));
    for (const [epoch, best] of saved) if (improved.includes(epoch)) expect(best).toBe(epoch);
    disposeRun(run);
  });
});
