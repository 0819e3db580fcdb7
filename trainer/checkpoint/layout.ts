// Where a job's checkpoints live: runs/<jobId>/checkpoints/epoch-NNNN/{model.json, weights.bin,
// optimizer.json, optimizer.bin, state.json, manifest.json}, and checkpoints/latest.json.

import { runKey } from '../store/keys.ts';

export const checkpointFiles = {
  model: 'model.json',
  weights: 'weights.bin',
  optimizerSpec: 'optimizer.json',
  optimizerData: 'optimizer.bin',
  state: 'state.json',
  /** Text runs only: the vocabulary the model's embedding rows index. */
  vocabulary: 'vocabulary.json',
  /** Written last inside the epoch directory: the directory is complete once it exists. */
  manifest: 'manifest.json',
} as const;

export function checkpointsPrefix(jobId: string): string {
  return `${runKey(jobId, 'checkpoints')}/`;
}

export function epochDirName(epoch: number): string {
  if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > 9999)
    throw new RangeError(`epoch ${epoch} is not in 0..9999`);
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

export function epochDirKey(jobId: string, epoch: number): string {
  return `${runKey(jobId, 'checkpoints', epochDirName(epoch))}/`;
}

export function latestPointerKey(jobId: string): string {
  return runKey(jobId, 'checkpoints', 'latest.json');
}

/** The epoch of a key inside an epoch directory, or undefined. */
export function epochOfKey(key: string): number | undefined {
  const match = /\/checkpoints\/epoch-(\d{4})\//.exec(key);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
