import type { Evaluation } from '../metrics/index.ts';
import { createRng, deriveSeed } from '../random/rng.ts';
import type { MistakeTally } from './train-error.ts';

/** Scores of one split kept per epoch; errors are fractions in [0, 1] (null: class absent). */
export interface SplitScore {
  readonly top1Error: number;
  /** Null with ≤ 5 classes (and in checkpoints written before top-5 existed). */
  readonly top5Error?: number | null;
  /** Mean of the per-class errors (equals top-1 error on a balanced split). */
  readonly balancedError: number;
  readonly perClassError: readonly (number | null)[];
}

export function splitScoreOf(evaluation: Evaluation): SplitScore {
  const { top1Error, top5Error, balancedError, perClassError } = evaluation;
  return { top1Error, top5Error, balancedError, perClassError };
}

/** One epoch's record; evaluation fields are present on the epochs that evaluated. */
export interface EpochRecord {
  readonly epoch: number;
  /** Global optimisation steps after this epoch. */
  readonly step: number;
  readonly lr: number;
  /** Mean training loss over the epoch's examples. */
  readonly trainLoss: number;
  /** Running top-1 error on the imbalanced training data (loop/train-error.ts); absent in older checkpoints. */
  readonly trainError?: number | null;
  readonly lossWeighted: boolean;
  readonly sampler: 'uniform' | 'class-balanced';
  readonly test?: SplitScore;
  readonly validation?: SplitScore;
  readonly seconds: number;
}

/** The best evaluated epoch, chosen on validation when there is one, else on test. */
export interface BestEpoch {
  readonly epoch: number;
  readonly selectedOn: 'validation' | 'test';
  /** Balanced error on the selection split. */
  readonly balancedError: number;
  /** The full test evaluation of that epoch. */
  readonly test: Evaluation;
  /** The validation evaluation of that epoch, when there is a validation split (post-hoc τ is chosen on it). */
  readonly validation?: Evaluation;
}

/**
 * What a checkpoint stores besides the weights and optimizer buffers, so a resumed run continues
 * exactly: the epoch position (possibly mid-epoch), RNG states and the metric sequence.
 */
export interface TrainerState {
  readonly version: 1;
  readonly completedEpochs: number;
  /** Batches already trained of epoch completedEpochs + 1 (0 at an epoch boundary). */
  readonly batchesDone: number;
  readonly step: number;
  /** Sampler RNG state at the start of epoch completedEpochs + 1 (its order is re-drawn on resume). */
  readonly samplerRngState: number;
  readonly augmentRngState: number;
  /** Loss (and training mistakes per class) accumulated over the batches already trained in the current epoch. */
  readonly partialLoss: {
    readonly sum: number;
    readonly examples: number;
    readonly tally?: MistakeTally;
  };
  readonly history: readonly EpochRecord[];
  readonly best: BestEpoch | null;
  /** The lowest test balanced error (the paper's choice); absent in checkpoints that predate it. */
  readonly bestOnTest?: BestEpoch | null;
}

export function initialTrainerState(seed: number): TrainerState {
  return {
    version: 1,
    completedEpochs: 0,
    batchesDone: 0,
    step: 0,
    samplerRngState: createRng(deriveSeed(seed, 'shuffle')).getState(),
    augmentRngState: createRng(deriveSeed(seed, 'augment')).getState(),
    partialLoss: { sum: 0, examples: 0 },
    history: [],
    best: null,
    bestOnTest: null,
  };
}

/** Keeps the lower balanced error on validation (else test); ties keep the earlier epoch. */
export function updateBest(
  best: BestEpoch | null,
  epoch: number,
  scores: { readonly test: Evaluation; readonly validation?: Evaluation },
): BestEpoch {
  const selectedOn = scores.validation !== undefined ? 'validation' : 'test';
  const balancedError = (scores.validation ?? scores.test).balancedError;
  if (best !== null && best.balancedError <= balancedError) return best;
  return {
    epoch,
    selectedOn,
    balancedError,
    test: scores.test,
    ...(scores.validation === undefined ? {} : { validation: scores.validation }),
  };
}

/** Keeps the lower balanced error on test, whatever the validation split says (the paper's choice). */
export function updateBestOnTest(
  best: BestEpoch | null | undefined,
  epoch: number,
  test: Evaluation,
): BestEpoch {
  if (best !== null && best !== undefined && best.balancedError <= test.balancedError) return best;
  return { epoch, selectedOn: 'test', balancedError: test.balancedError, test };
}
