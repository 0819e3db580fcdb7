// The storage package's public surface.

export {
  type OpenedStore,
  openConfiguredOrEmbeddedStore,
  s3OptionsFromEnv,
  storeFromEnv,
  storeFromUrl,
} from './config.ts';
export {
  type DatasetManifest,
  DatasetSourceError,
  datasetManifestName,
  datasetManifestSchema,
  datasetSource,
  type UploadDatasetOptions,
  type UploadProgress,
  uploadDataset,
} from './dataset-upload.ts';
export {
  defaultEmbeddedDataDir,
  type EmbeddedS3,
  type EmbeddedS3Options,
  newEmbeddedCredentials,
  startEmbeddedS3,
} from './embedded-s3.ts';
export {
  assertDatasetName,
  assertJobId,
  checkedRelativePath,
  datasetKey,
  InvalidKeyError,
  isValidDatasetName,
  isValidJobId,
  jobIdTime,
  newJobId,
  runKey,
} from './keys.ts';
export { LocalDirStore } from './local-dir-store.ts';
export { defaultStoreDeadlineSeconds, type RetryPolicy, storeDeadlineMsFromEnv } from './retry.ts';
export { S3Store, type S3StoreOptions } from './s3-store.ts';
export type { PutOptions, Store, StoreObjectInfo, VersionedObject } from './store.ts';
export { StoreNotFoundError, StorePermanentError, StoreUnavailableError } from './store.ts';
export { getIfPresent, putOnce } from './write-once.ts';
