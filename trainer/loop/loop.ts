import * as tf from '@tensorflow/tfjs';
import type { Evaluation } from '../metrics/index.ts';
import { createRng, type RandomSource } from '../random/rng.ts';
import {
  batchesPerEpoch,
  batchTensors,
  type ExampleSplit,
  epochOrder,
  gatherBatch,
  type HostBatch,
  type Samplers,
} from './batches.ts';
import { DivergedError } from './errors.ts';
import { evaluateSplit, type StartEvaluation } from './evaluate.ts';
import { type EpochRebalance, type RebalancePlan, rebalanceForEpoch } from './rebalance-plan.ts';
import type { SgdOptimizer, SgdState } from './sgd.ts';
import { type EpochRecord, splitScoreOf, type TrainerState, updateBest, updateBestOnTest } from './state.ts';
import { type LossFunction, trainableVariables, trainStep } from './train-step.ts';

export interface TrainingData {
  readonly train: ExampleSplit;
  readonly test: ExampleSplit;
  readonly validation?: ExampleSplit;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

export interface TrainingSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly evalEveryEpochs: number;
  readonly checkpointEveryEpochs: number;
  /** Steps between reads of the running loss (divergence check, progress); default 50. */
  readonly lossReadEverySteps?: number;
  /**
   * Examples per forward/backward pass (engine's planMicroBatches); below `batchSize` each batch's
   * gradients are accumulated over micro-batches. Default: the whole batch in one pass.
   */
  readonly microBatchSize?: number;
}

export interface StepProgress {
  readonly epoch: number;
  readonly epochs: number;
  /** Batches done in this epoch. */
  readonly batch: number;
  readonly batches: number;
  readonly step: number;
  readonly lr: number;
  /** Mean loss of this epoch at the last read (null before the first read). */
  readonly loss: number | null;
}

/** What a checkpoint needs: the live model plus optimizer and trainer state. */
export interface TrainingSnapshot {
  readonly model: tf.LayersModel;
  readonly optimizer: SgdState;
  readonly trainer: TrainerState;
}

export interface TrainingHooks {
  onProgress?(progress: StepProgress): void;
  onEpoch?(record: EpochRecord, state: TrainerState): void | Promise<void>;
  /** Called after every `checkpointEveryEpochs`-th epoch and after the last one. */
  onCheckpoint?(snapshot: TrainingSnapshot): Promise<void>;
}

/** Adds augmentation to a batch (seeded; the RNG state is saved in checkpoints). */
export type BatchAugmenter = (batch: HostBatch, rng: RandomSource) => HostBatch;

export interface TrainingRun {
  readonly model: tf.LayersModel;
  readonly data: TrainingData;
  readonly settings: TrainingSettings;
  /** Created by the caller, with checkpointed buffers already imported when resuming. */
  readonly optimizer: SgdOptimizer;
  readonly lossFor: (classWeights: readonly number[] | undefined) => LossFunction;
  /** LR of an epoch counting from 1 (warm-up and step decay). */
  readonly learningRateAt: (epoch: number) => number;
  readonly rebalance: RebalancePlan;
  readonly deferredActive: (epoch: number, afterEpoch: number) => boolean;
  readonly samplers: Samplers;
  /** Starts an evaluation pass (trainer/metrics' EvaluationAccumulator with the training counts). */
  readonly score: StartEvaluation;
  /** `initialTrainerState(seed)` for a fresh run, the checkpoint's state to resume. */
  readonly initial: TrainerState;
  readonly augment?: BatchAugmenter;
  readonly hooks?: TrainingHooks;
  /** Aborting stops the loop after the current step with a resumable state. */
  readonly signal?: AbortSignal;
}

export type TrainingOutcome =
  | { readonly status: 'completed'; readonly state: TrainerState; readonly final: FinalScores }
  | { readonly status: 'stopped'; readonly state: TrainerState; readonly snapshot: TrainingSnapshot };

export interface FinalScores {
  readonly epoch: number;
  readonly test: Evaluation;
  readonly validation?: Evaluation;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function readScalar(t: tf.Scalar): Promise<number> {
  return (await t.data())[0] ?? Number.NaN;
}

/**
 * Trains from `run.initial` to `settings.epochs`: per-epoch LR and rebalancing, SGD steps,
 * periodic evaluation and checkpoints. Throws DivergedError on a NaN/Inf loss.
 */
export async function runTraining(run: TrainingRun): Promise<TrainingOutcome> {
  const { model, data, settings, optimizer, hooks } = run;
  const variables = trainableVariables(model);
  const exampleSize = data.inputShape.reduce((a, b) => a * b, 1);
  const readEvery = settings.lossReadEverySteps ?? 50;
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
  let state = run.initial;
  let latest: FinalScores | undefined;

  for (let epoch = state.completedEpochs + 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    const lr = run.learningRateAt(epoch);
    const rebalance = rebalanceForEpoch(run.rebalance, epoch, run.deferredActive);
    const loss = lossOf(rebalance.lossWeights);
    const samplerStateAtStart = samplerRng.getState();
    const order = epochOrder(data.train, rebalance, run.rebalance.classWeights, run.samplers, samplerRng);
    const batches = batchesPerEpoch(order.length, settings.batchSize);
    const resumingThisEpoch = epoch === state.completedEpochs + 1 && state.batchesDone > 0;
    let examples = resumingThisEpoch ? state.partialLoss.examples : 0;
    let lossSum = tf.scalar(resumingThisEpoch ? state.partialLoss.sum : 0);
    let lastRead: number | null = null;
    let step = state.step;

    for (let b = resumingThisEpoch ? state.batchesDone : 0; b < batches; b++) {
      if (run.signal?.aborted) {
        const sum = await readScalar(lossSum);
        lossSum.dispose();
        state = {
          ...state,
          completedEpochs: epoch - 1,
          batchesDone: b,
          step,
          samplerRngState: samplerStateAtStart,
          augmentRngState: augmentRng.getState(),
          partialLoss: { sum, examples },
        };
        return {
          status: 'stopped',
          state,
          snapshot: { model, optimizer: await optimizer.exportState(), trainer: state },
        };
      }
      const indices = order.subarray(
        b * settings.batchSize,
        Math.min((b + 1) * settings.batchSize, order.length),
      );
      const gathered = gatherBatch(data.train, indices, exampleSize);
      const host = run.augment === undefined ? gathered : run.augment(gathered, augmentRng);
      const tensors = batchTensors(host, data.inputShape);
      const next = trainStep(
        model,
        variables,
        optimizer,
        loss,
        tensors,
        lr,
        lossSum,
        settings.microBatchSize,
      );
      tf.dispose([tensors.x, tensors.y, lossSum]);
      lossSum = next;
      examples += host.size;
      step += 1;
      if (step % readEvery === 0) {
        const sum = await readScalar(lossSum);
        if (!Number.isFinite(sum)) throw new DivergedError(epoch, step, sum);
        lastRead = sum / examples;
      }
      hooks?.onProgress?.({
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
    if (!Number.isFinite(sum)) throw new DivergedError(epoch, step, sum);
    const evaluates = epoch % settings.evalEveryEpochs === 0 || epoch === settings.epochs;
    const scores = evaluates ? await evaluateSplits(run, settings.batchSize) : undefined;
    if (scores !== undefined) latest = { epoch, ...scores };
    const record: EpochRecord = {
      epoch,
      step,
      lr,
      trainLoss: sum / Math.max(examples, 1),
      lossWeighted: rebalance.lossWeights !== undefined,
      sampler: rebalance.sampler,
      ...(scores === undefined ? {} : { test: splitScoreOf(scores.test) }),
      ...(scores?.validation === undefined ? {} : { validation: splitScoreOf(scores.validation) }),
      seconds: (performance.now() - started) / 1000,
    };
    state = {
      ...state,
      completedEpochs: epoch,
      batchesDone: 0,
      step,
      samplerRngState: samplerRng.getState(),
      augmentRngState: augmentRng.getState(),
      partialLoss: { sum: 0, examples: 0 },
      history: [...state.history, record],
      best: scores === undefined ? state.best : updateBest(state.best, epoch, scores),
      bestOnTest:
        scores === undefined
          ? (state.bestOnTest ?? null)
          : updateBestOnTest(state.bestOnTest, epoch, scores.test),
    };
    await hooks?.onEpoch?.(record, state);
    if (
      hooks?.onCheckpoint !== undefined &&
      (epoch % settings.checkpointEveryEpochs === 0 || epoch === settings.epochs)
    )
      await hooks.onCheckpoint({ model, optimizer: await optimizer.exportState(), trainer: state });
  }

  const final = latest ?? {
    epoch: state.completedEpochs,
    ...(await evaluateSplits(run, settings.batchSize)),
  };
  return { status: 'completed', state, final };
}

async function evaluateSplits(
  run: TrainingRun,
  batchSize: number,
): Promise<{ test: Evaluation; validation?: Evaluation }> {
  const { data, model } = run;
  const scoreOf = (split: ExampleSplit): Promise<Evaluation> =>
    evaluateSplit(model, split, data.inputShape, batchSize, run.score);
  const test = await scoreOf(data.test);
  return data.validation === undefined ? { test } : { test, validation: await scoreOf(data.validation) };
}
