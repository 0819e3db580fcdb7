export type { AdamSettings } from './adam.ts';
export { createAdam } from './adam.ts';
export type { ExampleSplit, HostBatch, Samplers } from './batches.ts';
export { batchesPerEpoch, epochOrder, gatherBatch } from './batches.ts';
export type { ComposedRun, ComposeOptions } from './compose.ts';
export { augmenterFor, modelFromSpec, trainingRunFromSpec } from './compose.ts';
export { DivergedError } from './errors.ts';
export type { SplitEvaluator, StartEvaluation } from './evaluate.ts';
export { evaluateSplit, forEachLogitBatch, predictClasses } from './evaluate.ts';
export { runTraining } from './loop.ts';
export type { MemoryOptions } from './memory.ts';
export { activeBackendName, planTrainingMemory } from './memory.ts';
export type { OptimizerBuffer, OptimizerState, TrainingOptimizer } from './optimizer.ts';
export type { EpochRebalance, RebalancePlan } from './rebalance-plan.ts';
export { rebalanceForEpoch } from './rebalance-plan.ts';
export type { ExperimentResult } from './run-experiment.ts';
export { runExperiment } from './run-experiment.ts';
export type { MomentumBuffer, SgdOptimizer, SgdSettings, SgdState } from './sgd.ts';
export { createSgd } from './sgd.ts';
export type { BestEpoch, EpochRecord, SplitScore, TrainerState } from './state.ts';
export { initialTrainerState, splitScoreOf, updateBest, updateBestOnTest } from './state.ts';
export type { LossFunction } from './train-step.ts';
export { trainableVariables, trainStep } from './train-step.ts';
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
} from './types.ts';
