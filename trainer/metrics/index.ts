export type { Evaluation, PredictionSet } from './evaluate.ts';
export { confusionMatrix, evaluatePredictions } from './evaluate.ts';
export type { GroupError, ShotGroup, ShotGroups } from './groups.ts';
export { shotGroupErrors, shotGroupOf } from './groups.ts';
