// The loop's inputs and outputs: what a caller hands `runTraining` and what it gets back.
import type * as tf from '@tensorflow/tfjs';
import type { ClassifierHead, Evaluation } from '../metrics/index.ts';
import type { RandomSource } from '../random/rng.ts';
import type { ExampleSplit, HostBatch, Samplers } from './batches.ts';
import type { StartEvaluation } from './evaluate.ts';
import type { EpochLogits } from './logit-capture.ts';
import type { RebalancePlan } from './rebalance-plan.ts';
import type { SgdOptimizer, SgdState } from './sgd.ts';
import type { EpochRecord, TrainerState } from './state.ts';
import type { LossFunction } from './train-step.ts';

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
  /** Also checkpoint an epoch that becomes the best (state.best), so its weights can be kept; default false. */
  readonly checkpointBest?: boolean;
  /** Logits handed to `onLogits` per split at most (N × K values; default the run layout's maxStoredLogits); a larger split's are not kept. */
  readonly maxStoredLogits?: number;
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
  /** Called after every `checkpointEveryEpochs`-th epoch, the last one, and (checkpointBest) a new best. */
  onCheckpoint?(snapshot: TrainingSnapshot): Promise<void>;
  /** The evaluated logits of each new best epoch and of the final one (post-hoc rows are scored from them). */
  onLogits?(point: 'final' | 'best', logits: EpochLogits): Promise<void>;
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
  /** The linear classifier's norms and bias now (stored with the logits for τ-norm); null on a cosine head. */
  readonly classifierHead?: () => ClassifierHead | null;
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
