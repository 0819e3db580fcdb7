// Resuming a job: the newest usable checkpoint as a resume point, and the note that says where a
// run resumed (events/current-metrics.ts reads it to drop a dead run's epochs).
import type * as tf from '@tensorflow/tfjs';
import { parseVocabulary, type Vocabulary } from '../data/text/vocabulary.ts';
import type { SgdState, TrainerState, TrainingSnapshot } from '../loop/index.ts';
import type { Store } from '../store/store.ts';
import { loadLatestCheckpoint } from './load.ts';
import { saveCheckpoint } from './save.ts';

/** A checkpoint ready to resume from. */
export interface ResumePoint {
  readonly model: tf.LayersModel;
  readonly optimizer: SgdState;
  readonly trainer: TrainerState;
  /** Text runs: the checkpoint's vocabulary. */
  readonly vocabulary?: Vocabulary;
  /** Set when the newest checkpoint was unusable and an older one was taken. */
  readonly fallbackReason?: string;
}

/**
 * The checkpoint directory's epoch label: completed epochs, or the epoch in progress for a
 * mid-epoch (preemption) checkpoint, which the end of that epoch later replaces.
 */
export function checkpointLabel(state: TrainerState): number {
  return state.batchesDone > 0 ? state.completedEpochs + 1 : state.completedEpochs;
}

function isTrainerState(value: unknown): value is TrainerState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<Record<keyof TrainerState, unknown>>;
  return (
    s.version === 1 &&
    Number.isInteger(s.completedEpochs) &&
    Number.isInteger(s.batchesDone) &&
    Number.isInteger(s.step) &&
    Array.isArray(s.history)
  );
}

export async function loadResumePoint(store: Store, jobId: string): Promise<ResumePoint | undefined> {
  const loaded = await loadLatestCheckpoint(store, jobId);
  if (loaded === undefined) return undefined;
  if (!isTrainerState(loaded.trainerState)) {
    loaded.model.dispose();
    throw new Error(`checkpoint of epoch ${loaded.epoch} has no trainer state this trainer understands`);
  }
  return {
    model: loaded.model,
    optimizer: { buffers: loaded.optimizerState },
    trainer: loaded.trainerState,
    ...(loaded.vocabulary === undefined ? {} : { vocabulary: parseVocabulary(loaded.vocabulary) }),
    ...(loaded.fallbackReason === undefined || loaded.fallbackReason === ''
      ? {}
      : { fallbackReason: loaded.fallbackReason }),
  };
}

/** Saves model, momentum buffers and trainer state; returns the directory's epoch label. */
export async function saveSnapshot(
  store: Store,
  jobId: string,
  snapshot: TrainingSnapshot,
  keepLast: number,
  vocabulary?: Vocabulary,
): Promise<number> {
  const epoch = checkpointLabel(snapshot.trainer);
  await saveCheckpoint(store, jobId, {
    epoch,
    model: snapshot.model,
    optimizerState: snapshot.optimizer.buffers,
    trainerState: snapshot.trainer,
    keepLast,
    ...(snapshot.trainer.best == null ? {} : { keepEpoch: snapshot.trainer.best.epoch }),
    ...(vocabulary === undefined ? {} : { vocabulary }),
  });
  return epoch;
}

/** The `resumed from …` note of the event log; its message format is read by current-metrics.ts. */
export function resumeNote(resume: ResumePoint): {
  kind: 'note';
  message: string;
  data: Record<string, unknown>;
} {
  const { completedEpochs, batchesDone } = resume.trainer;
  const where =
    batchesDone > 0 ? `epoch ${completedEpochs + 1}, batch ${batchesDone}` : `epoch ${completedEpochs}`;
  return {
    kind: 'note',
    message: `resumed from ${where}`,
    data: {
      completedEpochs,
      batchesDone,
      ...(resume.fallbackReason === undefined ? {} : { fallbackReason: resume.fallbackReason }),
    },
  };
}
