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
export type { ImageDatasetName, ImageSpec, LoaderMode } from './image-data.ts';
export {
  imageDatasetNames,
  imagenetMean,
  imagenetStd,
  isImageDataset,
  loaderModes,
  nominalClassCounts,
} from './image-data.ts';
export type { MarginRule, TestImbalanceSpec } from './paper-variants.ts';
export { marginRuleSchema, marginRules, testImbalanceSchema } from './paper-variants.ts';
export type { SpecIssue } from './parse.ts';
export { formatIssues, parseExperimentSpec, parseExperimentSpecJson, SpecValidationError } from './parse.ts';
export type { AdamSettings, DecayStep, ResolvedExperiment } from './resolve.ts';
export { defaultDecay, defaultWarmupEpochs, numClassesOf, resolveExperiment } from './resolve.ts';
export type { Stage2Spec } from './stage2.ts';
export { stage2Schema } from './stage2.ts';
export type { Stage2Issue } from './stage2-rules.ts';
export { stage2Issues } from './stage2-rules.ts';
export { type JsonIssue, type JsonRead, readJson } from './strict-json.ts';
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
