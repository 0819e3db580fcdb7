export type {
  DatasetSpec,
  ExperimentSpec,
  ExperimentSpecInput,
  ImbalanceSpec,
  LossSpec,
  ModelSpec,
  OptimizerSpec,
  RebalanceSpec,
  ScheduleSpec,
} from './experiment.ts';
export {
  architectures,
  datasetFormats,
  datasetNames,
  experimentSpecSchema,
  fixedClassCounts,
  lossSchema,
  modelSchema,
} from './experiment.ts';
export type { SpecIssue } from './parse.ts';
export { formatIssues, parseExperimentSpec, parseExperimentSpecJson, SpecValidationError } from './parse.ts';
export type { AdamSettings, DecayStep, ResolvedExperiment } from './resolve.ts';
export { defaultDecay, defaultWarmupEpochs, numClassesOf, resolveExperiment } from './resolve.ts';
export type { BilstmSpec, TextSpec } from './text.ts';
export {
  bilstmSchema,
  defaultBilstmSpec,
  defaultTextSpec,
  imdbClassNames,
  isTextDataset,
  specClassNames,
  textSchema,
} from './text.ts';
