export type { EvaluationOptions } from './accumulator.ts';
export { defaultDenseConfusionMaxClasses, EvaluationAccumulator } from './accumulator.ts';
export type { Calibration, ReliabilityBin } from './calibration.ts';
export { defaultCalibrationBins } from './calibration.ts';
export type { LogitSet, PredictionSet } from './evaluate.ts';
export { confusionMatrix, evaluateLogits, evaluatePredictions } from './evaluate.ts';
export type { GroupError, ShotGroup, ShotGroups } from './groups.ts';
export { meanOfPresent, shotGroupErrors, shotGroupOf } from './groups.ts';
export type { ClassifierHead, LogitAdjustment } from './posthoc.ts';
export {
  adjustLogits,
  adjustmentKey,
  fixedPosthocTau,
  logitAdjustments,
  posthocTauGrid,
  squaredColumnNorms,
  tauNormAdjustments,
  tauNormAdjustmentsOf,
} from './posthoc.ts';
export type { RankThird, RankThirds } from './rank-thirds.ts';
export { classesByTrainCount, rankThirdErrors } from './rank-thirds.ts';
export type { AdjustedScores, ConfusionPair, Evaluation } from './summarise.ts';
