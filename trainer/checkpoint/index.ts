// The checkpoint package's public surface.

export { checkpointsPrefix, epochDirKey, latestPointerKey } from './layout.ts';
export { CheckpointUnusableError, type LoadedCheckpoint, loadLatestCheckpoint } from './load.ts';
export type { CheckpointManifest, FileDigest } from './manifest.ts';
export { type StoreIOHandler, storeIOHandler } from './model-io.ts';
export type { NamedFloat32 } from './optimizer-state.ts';
export {
  checkpointLabel,
  loadResumePoint,
  type ResumePoint,
  resumeNote,
  saveSnapshot,
} from './resume.ts';
export { type SaveCheckpointInput, saveCheckpoint } from './save.ts';
