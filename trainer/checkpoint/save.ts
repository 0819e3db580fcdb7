// Saving a checkpoint: every file of the epoch directory, then its manifest, then latest.json
// last, so a crash at any point leaves the previous checkpoint as the latest complete one.

import type * as tf from '@tensorflow/tfjs';
import type { Store } from '../store/store.ts';
import { checkpointFiles, checkpointsPrefix, epochDirKey, epochOfKey, latestPointerKey } from './layout.ts';
import { type CheckpointManifest, digestOf, type FileDigest } from './manifest.ts';
import { storeIOHandler } from './model-io.ts';
import { encodeOptimizerState, type NamedFloat32 } from './optimizer-state.ts';

export interface SaveCheckpointInput {
  /** Epochs completed (1-based); the checkpoint resumes at epoch + 1. */
  readonly epoch: number;
  readonly model: { save(handler: tf.io.IOHandler): Promise<tf.io.SaveResult> };
  readonly optimizerState: readonly NamedFloat32[];
  /** Step, RNG states, sampler state, DRW phase, metric seq, …: anything JSON. */
  readonly trainerState: unknown;
  /** Complete checkpoints to keep, this one included. Default 2. */
  readonly keepLast?: number;
  /** Text runs: the vocabulary (JSON), so resume and evaluation encode text the same way. */
  readonly vocabulary?: unknown;
  /** An earlier epoch whose checkpoint survives pruning (the best epoch's weights). */
  readonly keepEpoch?: number;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

export async function saveCheckpoint(
  store: Store,
  jobId: string,
  input: SaveCheckpointInput,
): Promise<CheckpointManifest> {
  const dir = epochDirKey(jobId, input.epoch);
  const files: Record<string, FileDigest> = {};
  const write = async (name: string, bytes: Uint8Array): Promise<void> => {
    await store.put(dir + name, bytes);
    files[name] = digestOf(bytes);
  };

  const handler = storeIOHandler(store, dir);
  await input.model.save(handler);
  for (const [name, digest] of handler.written) files[name] = digest;
  const optimizer = encodeOptimizerState(input.optimizerState);
  await write(checkpointFiles.optimizerData, optimizer.data);
  await write(checkpointFiles.optimizerSpec, new TextEncoder().encode(optimizer.spec));
  await write(checkpointFiles.state, json({ epoch: input.epoch, trainerState: input.trainerState }));
  if (input.vocabulary !== undefined) await write(checkpointFiles.vocabulary, json(input.vocabulary));

  const manifest: CheckpointManifest = {
    version: 1,
    epoch: input.epoch,
    dir,
    createdAt: new Date().toISOString(),
    files,
  };
  await store.put(dir + checkpointFiles.manifest, json(manifest), { contentType: 'application/json' });
  await store.put(latestPointerKey(jobId), json(manifest), { contentType: 'application/json' });
  await pruneCheckpoints(store, jobId, input.epoch, Math.max(1, input.keepLast ?? 2), input.keepEpoch);
  return manifest;
}

/**
 * Keeps the `keepLast` newest epoch directories up to `current`, and `keepEpoch`'s; later ones
 * belong to a timeline abandoned when the run resumed from an earlier checkpoint, so they go too.
 */
async function pruneCheckpoints(
  store: Store,
  jobId: string,
  current: number,
  keepLast: number,
  keepEpoch: number | undefined,
): Promise<void> {
  const epochs = new Set<number>();
  for (const object of await store.list(checkpointsPrefix(jobId))) {
    const epoch = epochOfKey(object.key);
    if (epoch !== undefined) epochs.add(epoch);
  }
  const kept = [...epochs]
    .filter((e) => e <= current)
    .sort((a, b) => b - a)
    .slice(0, keepLast);
  if (keepEpoch !== undefined && keepEpoch <= current) kept.push(keepEpoch);
  for (const epoch of epochs) {
    if (!kept.includes(epoch)) await store.deletePrefix(epochDirKey(jobId, epoch));
  }
}
