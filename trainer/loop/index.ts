export { batchesPerEpoch, epochOrder, gatherBatch } from './batches.ts';
export type { ExampleSplit, HostBatch, Samplers } from './batches.ts';
export { DivergedError } from './errors.ts';
export { predictClasses } from './evaluate.ts';
export type { ScorePredictions } from './evaluate.ts';
export { runTraining } from './loop.ts';
export type {
  BatchAugmenter,
  FinalScores,
  StepProgress,
  TrainingData,
  TrainingHooks,
  TrainingOutcome,
  TrainingRun,
  TrainingSettings,
  TrainingSnapshot,
} from './loop.ts';
export { rebalanceForEpoch } from './rebalance-plan.ts';
export type { EpochRebalance, RebalancePlan } from './rebalance-plan.ts';
export { createSgd } from './sgd.ts';
export type { MomentumBuffer, SgdOptimizer, SgdSettings, SgdState } from './sgd.ts';
export { initialTrainerState, splitScoreOf, updateBest } from './state.ts';
export type { BestEpoch, EpochRecord, SplitScore, TrainerState } from './state.ts';
export { trainableVariables, trainStep } from './train-step.ts';
export type { LossFunction } from './train-step.ts';
export { augmenterFor, trainingRunFromSpec } from './compose.ts';
export type { ComposeOptions } from './compose.ts';
export { runExperiment } from './run-experiment.ts';
export type { ExperimentResult } from './run-experiment.ts';
