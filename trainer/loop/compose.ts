import type * as tf from '@tensorflow/tfjs';
import type { LoadedDataset } from '../data/index.ts';
import { augmentBatch, resolveAugmentation } from '../data/index.ts';
import type { MicroBatchPlan } from '../engine/index.ts';
import { lossFn } from '../losses/index.ts';
import { EvaluationAccumulator } from '../metrics/index.ts';
import { buildModel } from '../models/index.ts';
import { deriveSeed } from '../random/rng.ts';
import { classBalancedIndices, rebalanceWeights, shuffledIndices } from '../rebalance/index.ts';
import { deferredRebalanceActive, learningRateAt } from '../schedule/index.ts';
import type { ResolvedExperiment } from '../spec/index.ts';
import { createAdam } from './adam.ts';
import type { StartEvaluation } from './evaluate.ts';
import { type MemoryOptions, planTrainingMemory } from './memory.ts';
import { classifierHeadOf } from './posthoc-views.ts';
import { createSgd, type SgdState } from './sgd.ts';
import { initialTrainerState, type TrainerState } from './state.ts';
import { trainableVariables } from './train-step.ts';
import type { BatchAugmenter, TrainingHooks, TrainingRun } from './types.ts';

export interface ComposeOptions {
  /** Default: trainer/metrics' EvaluationAccumulator with the training class counts. */
  readonly score?: StartEvaluation;
  /** A checkpoint's model; default: a fresh model initialised from the spec's seed. */
  readonly model?: tf.LayersModel;
  /** A checkpoint's optimizer and trainer state, to resume. */
  readonly resume?: { readonly optimizer: SgdState; readonly trainer: TrainerState };
  readonly hooks?: TrainingHooks;
  readonly signal?: AbortSignal;
  /** Steps between loss reads (default 50). */
  readonly lossReadEverySteps?: number;
  /** Plan micro-batches for this backend and budget before training (default: one pass per batch). */
  readonly memory?: MemoryOptions;
}

/** A TrainingRun and the memory plan it was composed with (undefined without `memory`). */
export interface ComposedRun extends TrainingRun {
  readonly memoryPlan: MicroBatchPlan | undefined;
}

/** The spec's augmentation as a batch augmenter, or undefined for vectors / when switched off. */
export function augmenterFor(
  resolved: ResolvedExperiment,
  inputShape: readonly number[],
): BatchAugmenter | undefined {
  const settings = resolveAugmentation(resolved.augment, inputShape);
  const [height, width, channels] = inputShape;
  if (settings === null || height === undefined || width === undefined || channels === undefined)
    return undefined;
  return (batch, rng) => ({
    ...batch,
    images: augmentBatch(batch.images, [batch.size, height, width, channels], settings, rng),
  });
}

/** A fresh model for the spec and dataset, initialised from the spec's seed under `purpose`. */
export function modelFromSpec(
  resolved: ResolvedExperiment,
  dataset: LoadedDataset,
  purpose: string,
): tf.LayersModel {
  return buildModel(
    { ...resolved.spec.model, bilstm: resolved.bilstm },
    {
      inputShape: dataset.inputShape,
      ...(dataset.vocabulary === undefined ? {} : { vocabSize: dataset.vocabulary.tokens.length }),
      numClasses: dataset.numClasses,
      classifier: resolved.classifier,
      seed: deriveSeed(resolved.spec.seed, purpose),
    },
  );
}

/** Calibration reads softmax(s·z) for LDAM's cosine logits, the probabilities it trained; else softmax(z). */
export function logitScaleOf(loss: ResolvedExperiment['spec']['loss']): number {
  return loss.type === 'ldam' ? loss.scale : 1;
}

/**
 * Wires a validated spec and its loaded dataset into a TrainingRun (the composition root of
 * training). With `memory` it plans micro-batches first and throws MemoryBudgetError (a model it
 * built disposed) when one example does not fit.
 */
export function trainingRunFromSpec(
  resolved: ResolvedExperiment,
  dataset: LoadedDataset,
  options: ComposeOptions,
): ComposedRun {
  const { spec } = resolved;
  const model = options.model ?? modelFromSpec(resolved, dataset, 'init');
  let memoryPlan: MicroBatchPlan | undefined;
  try {
    memoryPlan =
      options.memory === undefined
        ? undefined
        : planTrainingMemory(model, spec.optimizer.batchSize, dataset.inputShape, options.memory);
  } catch (error) {
    if (options.model === undefined) model.dispose();
    throw error;
  }
  const optimizer =
    spec.optimizer.type === 'adam'
      ? createAdam({ ...resolved.adam, weightDecay: spec.optimizer.weightDecay })
      : createSgd({ momentum: spec.optimizer.momentum, weightDecay: spec.optimizer.weightDecay });
  if (options.resume !== undefined)
    optimizer.importState(options.resume.optimizer, trainableVariables(model));
  const classCounts = dataset.classCounts;
  // A known test distribution (appendix C.5) moves the margins: Δ_j ∝ (n'_j / n_j)^(1/4).
  const testCounts =
    spec.dataset.testImbalance === undefined
      ? undefined
      : labelCounts(dataset.test.labels, dataset.numClasses);
  const schedule = { baseLr: spec.optimizer.lr, warmupEpochs: resolved.warmupEpochs, decay: resolved.decay };
  const augment = augmenterFor(resolved, dataset.inputShape);
  return {
    model,
    data: {
      train: dataset.train,
      test: dataset.test,
      ...(dataset.validation === undefined ? {} : { validation: dataset.validation }),
      inputShape: dataset.inputShape,
      numClasses: dataset.numClasses,
    },
    settings: {
      epochs: spec.schedule.epochs,
      batchSize: spec.optimizer.batchSize,
      evalEveryEpochs: spec.eval.everyEpochs,
      checkpointEveryEpochs: spec.checkpoint.everyEpochs,
      checkpointBest: spec.checkpoint.keepBest ?? true,
      ...(options.lossReadEverySteps === undefined ? {} : { lossReadEverySteps: options.lossReadEverySteps }),
      ...(memoryPlan === undefined ? {} : { microBatchSize: memoryPlan.microBatchSize }),
    },
    memoryPlan,
    optimizer,
    lossFor: (classWeights) =>
      lossFn(spec.loss, {
        classCounts,
        ...(classWeights === undefined ? {} : { classWeights }),
        ...(testCounts === undefined ? {} : { testCounts }),
      }),
    learningRateAt: (epoch) => learningRateAt(epoch, schedule),
    rebalance: {
      rule: spec.rebalance.rule,
      classWeights: rebalanceWeights(spec.rebalance.weighting, classCounts, spec.rebalance.beta),
      afterEpoch: resolved.rebalanceAfterEpoch,
    },
    deferredActive: deferredRebalanceActive,
    samplers: { shuffledIndices, classBalancedIndices },
    score:
      options.score ??
      (() =>
        new EvaluationAccumulator({
          numClasses: dataset.numClasses,
          trainCounts: classCounts,
          logitScale: logitScaleOf(spec.loss),
        })),
    initial: options.resume?.trainer ?? initialTrainerState(spec.seed),
    classifierHead: () => classifierHeadOf(model, resolved.classifier),
    ...(augment === undefined ? {} : { augment }),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

function labelCounts(labels: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of labels) counts[y] = (counts[y] ?? 0) + 1;
  return counts;
}
