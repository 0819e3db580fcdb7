// The trainer library's public surface: listed by hand, so what is public is a decision.

export type { DataSplit, LoadedDataset } from './data/index.ts';
export { DataError, loadDataset } from './data/index.ts';
export type { SelectedBackend } from './engine/index.ts';
export { BackendUnavailableError, selectBackend } from './engine/index.ts';
export { metricKeys } from './events/metrics.ts';
export type {
  EpochRecord,
  ExperimentResult,
  FinalScores,
  SgdState,
  TrainerState,
  TrainingOutcome,
  TrainingRun,
} from './loop/index.ts';
export {
  createSgd,
  DivergedError,
  initialTrainerState,
  runExperiment,
  runTraining,
  trainingRunFromSpec,
} from './loop/index.ts';
export type { LossContext, LossFunction } from './losses/index.ts';
export { crossEntropyLoss, focalLoss, ldamLoss, logitAdjustedLoss, lossFn } from './losses/index.ts';
export type { Evaluation } from './metrics/index.ts';
export { evaluatePredictions } from './metrics/index.ts';
export type { BuildModelOptions, ClassifierKind } from './models/index.ts';
export { buildModel, ChannelPadShortcut, CosineClassifier } from './models/index.ts';
export { ExitCode } from './process/exit-codes.ts';
export {
  classBalancedIndices,
  classBalancedWeights,
  imbalancedClassCounts,
  inverseFrequencyWeights,
  ldamMargins,
  rebalanceWeights,
  shuffledIndices,
} from './rebalance/index.ts';
export type { Report } from './reports/index.ts';
export { parseReport, reportToCsv, reportToMarkdown, reportToSvg } from './reports/index.ts';
export { deferredRebalanceActive, learningRateAt } from './schedule/index.ts';
export type {
  DatasetSpec,
  ExperimentSpec,
  ExperimentSpecInput,
  LossSpec,
  ModelSpec,
  RebalanceSpec,
  ResolvedExperiment,
} from './spec/index.ts';
export {
  experimentSpecSchema,
  parseExperimentSpec,
  parseExperimentSpecJson,
  resolveExperiment,
  SpecValidationError,
} from './spec/index.ts';
