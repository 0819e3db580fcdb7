// Loading the latest checkpoint: verify every file against latest.json (size + sha256); when the
// pointer or a file is missing, short or corrupt, fall back to the newest epoch directory whose
// own manifest verifies, and say why.

import * as tf from '@tensorflow/tfjs';
import type { Store } from '../store/store.ts';
import { getIfPresent } from '../store/write-once.ts';
import { checkpointFiles, checkpointsPrefix, epochDirKey, epochOfKey, latestPointerKey } from './layout.ts';
import { type CheckpointManifest, mismatch, parseManifest } from './manifest.ts';
import { artifactsFromJson } from './model-io.ts';
import { decodeOptimizerState, type NamedFloat32 } from './optimizer-state.ts';

export interface LoadedCheckpoint {
  /** Epochs completed; resume at epoch + 1. */
  readonly epoch: number;
  readonly model: tf.LayersModel;
  readonly optimizerState: NamedFloat32[];
  readonly trainerState: unknown;
  /** The stored vocabulary (JSON) of a text run; undefined for images. */
  readonly vocabulary?: unknown;
  /** Set when latest.json could not be used, saying why; the checkpoint is then an older one. */
  readonly fallbackReason?: string;
}

type Attempt =
  | { ok: true; checkpoint: Omit<LoadedCheckpoint, 'fallbackReason'> }
  | { ok: false; reason: string };

const requiredFiles = [
  checkpointFiles.model,
  checkpointFiles.weights,
  checkpointFiles.optimizerSpec,
  checkpointFiles.optimizerData,
  checkpointFiles.state,
];

/** Fetches and verifies every file the manifest lists, then rebuilds model and state. */
async function loadVerified(store: Store, manifest: CheckpointManifest): Promise<Attempt> {
  const bytes = new Map<string, Uint8Array>();
  const optional =
    manifest.files[checkpointFiles.vocabulary] === undefined ? [] : [checkpointFiles.vocabulary];
  for (const name of [...requiredFiles, ...optional]) {
    const expected = manifest.files[name];
    if (expected === undefined) return { ok: false, reason: `manifest of ${manifest.dir} lists no ${name}` };
    const body = await getIfPresent(store, manifest.dir + name);
    if (body === undefined) return { ok: false, reason: `${manifest.dir}${name} is missing` };
    const problem = mismatch(`${manifest.dir}${name}`, expected, body);
    if (problem !== undefined) return { ok: false, reason: problem };
    bytes.set(name, body);
  }
  const text = (name: string): string => new TextDecoder().decode(bytes.get(name));
  try {
    const artifacts = await artifactsFromJson(
      JSON.parse(text(checkpointFiles.model)) as tf.io.ModelJSON,
      bytes.get(checkpointFiles.weights) as Uint8Array,
    );
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const state = JSON.parse(text(checkpointFiles.state)) as { epoch: number; trainerState: unknown };
    const optimizerState = decodeOptimizerState(
      text(checkpointFiles.optimizerSpec),
      bytes.get(checkpointFiles.optimizerData) as Uint8Array,
    );
    return {
      ok: true,
      checkpoint: {
        epoch: manifest.epoch,
        model,
        optimizerState,
        trainerState: state.trainerState,
        ...(bytes.has(checkpointFiles.vocabulary)
          ? { vocabulary: JSON.parse(text(checkpointFiles.vocabulary)) }
          : {}),
      },
    };
  } catch (error) {
    return {
      ok: false,
      reason: `${manifest.dir} could not be restored: ${error instanceof Error ? error.message : error}`,
    };
  }
}

/**
 * The newest complete checkpoint, or undefined when the job has none (directories without a
 * manifest are saves that never finished, not checkpoints).
 */
export async function loadLatestCheckpoint(
  store: Store,
  jobId: string,
): Promise<LoadedCheckpoint | undefined> {
  const reasons: string[] = [];
  let tried: number | undefined;
  const pointerBody = await getIfPresent(store, latestPointerKey(jobId));
  let sawCheckpoint = pointerBody !== undefined;
  const pointer =
    pointerBody === undefined ? { reason: 'latest.json is missing' } : parseManifest(pointerBody);
  if (!('manifest' in pointer)) {
    reasons.push(pointer.reason);
  } else if (pointer.manifest.dir !== epochDirKey(jobId, pointer.manifest.epoch)) {
    reasons.push(`latest.json points outside this job's checkpoints (${pointer.manifest.dir})`);
  } else {
    tried = pointer.manifest.epoch;
    const attempt = await loadVerified(store, pointer.manifest);
    if (attempt.ok) return attempt.checkpoint;
    reasons.push(attempt.reason);
  }

  const epochs = new Set<number>();
  for (const object of await store.list(checkpointsPrefix(jobId))) {
    const epoch = epochOfKey(object.key);
    if (epoch !== undefined && epoch !== tried) epochs.add(epoch);
  }
  for (const epoch of [...epochs].sort((a, b) => b - a)) {
    const dir = epochDirKey(jobId, epoch);
    const body = await getIfPresent(store, dir + checkpointFiles.manifest);
    if (body === undefined) continue;
    sawCheckpoint = true;
    const found = parseManifest(body);
    if (!('manifest' in found)) {
      reasons.push(`${dir}: ${found.reason}`);
      continue;
    }
    if (found.manifest.dir !== dir || found.manifest.epoch !== epoch) {
      reasons.push(`${dir}manifest.json describes another directory`);
      continue;
    }
    const attempt = await loadVerified(store, found.manifest);
    if (attempt.ok) return { ...attempt.checkpoint, fallbackReason: reasons.join('; ') };
    reasons.push(attempt.reason);
  }
  if (!sawCheckpoint) return undefined;
  throw new CheckpointUnusableError(jobId, reasons);
}

/** Checkpoint files exist, but none verifies: resuming would silently restart from scratch. */
export class CheckpointUnusableError extends Error {
  readonly reasons: readonly string[];
  constructor(jobId: string, reasons: readonly string[]) {
    super(`no usable checkpoint for job ${jobId}: ${reasons.join('; ')}`);
    this.name = 'CheckpointUnusableError';
    this.reasons = reasons;
  }
}
