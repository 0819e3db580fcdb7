// One epoch's SGD steps: the batch order of the epoch's rebalancing, augmentation, a step per
// batch, a loss read every few steps (divergence, progress), and a resumable stop on abort.
import * as tf from '@tensorflow/tfjs';
import { createRng, type RandomSource } from '../random/rng.ts';
import { batchesPerEpoch, batchTensors, epochBatches, epochOrder, type HostBatch } from './batches.ts';
import { DivergedError } from './errors.ts';
import { type EpochRebalance, rebalanceForEpoch } from './rebalance-plan.ts';
import type { TrainerState } from './state.ts';
import { countByClass, startTally, trainingError } from './train-error.ts';
import { type LossFunction, trainableVariables, trainStep } from './train-step.ts';
import type { TrainingRun } from './types.ts';

/** What stays fixed across epochs: variables, seeded RNGs (restored from the state), cached losses. */
export interface LoopContext {
  readonly run: TrainingRun;
  readonly variables: tf.Variable[];
  readonly exampleSize: number;
  readonly readEvery: number;
  readonly samplerRng: RandomSource;
  readonly augmentRng: RandomSource;
  readonly lossOf: (weights: EpochRebalance['lossWeights']) => LossFunction;
  /** Training examples per class (the imbalanced set), to weight the per-class training error. */
  readonly classCounts: readonly number[];
}

export function prepareLoop(run: TrainingRun): LoopContext {
  const samplerRng = createRng(0);
  samplerRng.setState(run.initial.samplerRngState);
  const augmentRng = createRng(0);
  augmentRng.setState(run.initial.augmentRngState);
  const losses = new Map<EpochRebalance['lossWeights'], LossFunction>();
  const lossOf = (weights: EpochRebalance['lossWeights']): LossFunction => {
    const cached = losses.get(weights) ?? run.lossFor(weights);
    losses.set(weights, cached);
    return cached;
  };
  return {
    run,
    variables: trainableVariables(run.model),
    exampleSize: run.data.inputShape.reduce((a, b) => a * b, 1),
    readEvery: run.settings.lossReadEverySteps ?? 50,
    samplerRng,
    augmentRng,
    lossOf,
    classCounts: countByClass(run.data.train.labels, run.data.numClasses),
  };
}

/** An epoch's steps ran to the end, or stopped on abort with the state to resume from. */
export type EpochPass =
  | { readonly kind: 'stopped'; readonly state: TrainerState }
  | {
      readonly kind: 'trained';
      readonly lr: number;
      readonly rebalance: EpochRebalance;
      readonly step: number;
      readonly lossSum: number;
      readonly examples: number;
      /** Running training error of the epoch (train-error.ts); null if no batch was scored. */
      readonly trainError: number | null;
    };

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function readScalar(t: tf.Scalar): Promise<number> {
  return (await t.data())[0] ?? Number.NaN;
}

/** Runs epoch `epoch`'s batches, from the state's `batchesDone` when it resumes that epoch. */
export async function trainEpoch(ctx: LoopContext, state: TrainerState, epoch: number): Promise<EpochPass> {
  const { run, samplerRng } = ctx;
  const { settings, data } = run;
  const lr = run.learningRateAt(epoch);
  const rebalance = rebalanceForEpoch(run.rebalance, epoch, run.deferredActive);
  const loss = ctx.lossOf(rebalance.lossWeights);
  const samplerStateAtStart = samplerRng.getState();
  const order = epochOrder(data.train, rebalance, run.rebalance.classWeights, run.samplers, samplerRng);
  const batches = batchesPerEpoch(order.length, settings.batchSize);
  const resuming = epoch === state.completedEpochs + 1 && state.batchesDone > 0;
  let examples = resuming ? state.partialLoss.examples : 0;
  let lossSum = tf.scalar(resuming ? state.partialLoss.sum : 0);
  const tally = startTally(run.data.numClasses, resuming ? state.partialLoss.tally : undefined);
  let lastRead: number | null = null;
  let step = state.step;

  const firstBatch = resuming ? state.batchesDone : 0;
  const hostBatches = epochBatches(data.train, order, settings.batchSize, firstBatch, ctx.exampleSize, {
    // A source crops with per-example seeds from this value; it never advances the sequential RNG.
    seed: ctx.augmentRng.getState(),
    epoch,
    ...(run.augment === undefined ? {} : { memory: (b: HostBatch) => run.augment?.(b, ctx.augmentRng) ?? b }),
  });

  for (let b = firstBatch; b < batches; b++) {
    if (run.signal?.aborted) {
      await hostBatches.return(undefined);
      const sum = await readScalar(lossSum);
      lossSum.dispose();
      const partial = { sum, examples, tally: await tally.read() };
      return {
        kind: 'stopped',
        state: stoppedState(ctx, state, epoch, b, step, samplerStateAtStart, partial),
      };
    }
    const pulled = await hostBatches.next();
    if (pulled.done === true) throw new Error(`epoch ${epoch} ended after ${b} of ${batches} batches`);
    const host = pulled.value;
    const tensors = batchTensors(host, data.inputShape);
    const next = trainStep(
      run.model,
      ctx.variables,
      run.optimizer,
      loss,
      tensors,
      lr,
      lossSum,
      settings.microBatchSize,
      tally.tap,
    );
    tf.dispose([tensors.x, tensors.y, lossSum]);
    lossSum = next;
    examples += host.size;
    tally.count(host.labels);
    step += 1;
    if (step % ctx.readEvery === 0) {
      const sum = await readScalar(lossSum);
      if (!Number.isFinite(sum)) throw new DivergedError(epoch, step, sum);
      lastRead = sum / examples;
    }
    run.hooks?.onProgress?.({
      epoch,
      epochs: settings.epochs,
      batch: b + 1,
      batches,
      step,
      lr,
      loss: lastRead,
    });
    await yieldToEventLoop();
  }

  const sum = await readScalar(lossSum);
  lossSum.dispose();
  const trainError = trainingError(await tally.read(), ctx.classCounts);
  if (!Number.isFinite(sum)) throw new DivergedError(epoch, step, sum);
  return { kind: 'trained', lr, rebalance, step, lossSum: sum, examples, trainError };
}

/** Resumes at batch `batchesDone` of `epoch`: the sampler RNG as the epoch began, so the order repeats. */
function stoppedState(
  ctx: LoopContext,
  state: TrainerState,
  epoch: number,
  batchesDone: number,
  step: number,
  samplerRngState: TrainerState['samplerRngState'],
  partialLoss: TrainerState['partialLoss'],
): TrainerState {
  return {
    ...state,
    completedEpochs: epoch - 1,
    batchesDone,
    step,
    samplerRngState,
    augmentRngState: ctx.augmentRng.getState(),
    partialLoss,
  };
}
