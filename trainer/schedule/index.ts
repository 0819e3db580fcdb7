export type { LearningRateSchedule } from './learning-rate.ts';
export { deferredRebalanceActive, learningRateAt } from './learning-rate.ts';
