export type { AugmentSettings, AugmentSpecLike } from './augment.ts';
export { augmentBatch, defaultPadding, resolveAugmentation } from './augment.ts';
export type { CifarRecords, CifarVariant } from './cifar-bin.ts';
export { parseCifarRecords, readCifarDataset } from './cifar-bin.ts';
export {
  cifar10ClassNames,
  cifar100ClassNames,
  fashionMnistClassNames,
  mnistClassNames,
} from './class-names.ts';
export type { FetchLike, ObjectSource, ObjectSourceFactory } from './download.ts';
export { DataError } from './errors.ts';
export type { DataFiles, DirEntry } from './files.ts';
export { isWithin, localDataFiles } from './files.ts';
export type { IdxImages } from './idx.ts';
export { parseIdxImages, parseIdxLabels, readIdxDataset } from './idx.ts';
export { decodeImage, readImageFolderDataset } from './image-folder.ts';
export type { SubsampleInput, SubsamplePlan } from './imbalance.ts';
export { capPerClass, planSubsample } from './imbalance.ts';
export type { LoadDatasetOptions } from './load.ts';
export { defaultSyntheticPerClass, loadDataset } from './load.ts';
export { channelStats, gatherExamples, normalizeInPlace } from './normalize.ts';
export type { Env, S3Location, SourcePolicy } from './source-policy.ts';
export {
  dataUrlAllowEnv,
  defaultMaxDownloadBytes,
  isS3SourceAllowed,
  parseS3Source,
  sourcePolicyFromEnv,
} from './source-policy.ts';
export type { ResolvedSource, SourceAccess } from './sources.ts';
export { resolveDatasetSource } from './sources.ts';
export type { SyntheticOptions } from './synthetic.ts';
export { makeSyntheticDataset } from './synthetic.ts';
export type { RawTextDataset, TextLoadOptions, Vocabulary } from './text/index.ts';
export { buildVocabulary, parseVocabulary, prepareTextDataset, tokenize } from './text/index.ts';
export type { ChannelStats, DataSplit, LoadedDataset, RawDataset, RawSplit } from './types.ts';
