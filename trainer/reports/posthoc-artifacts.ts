// The post-hoc rows of a finished job, scored from the logits the trainer stored at the final and
// the best epoch (run layout: runs/<jobId>/logits/): no re-training, no second pass over the data.
import type { EpochLogits } from '../loop/logit-capture.ts';
import {
  type Evaluation,
  EvaluationAccumulator,
  logitAdjustments,
  tauNormAdjustmentsOf,
} from '../metrics/index.ts';
import { decodeLogits, encodeLogits, type StoredLogits } from '../store/logits-artifact.ts';
import {
  type LogitsPoint,
  type LogitsSplit,
  logitsContentType,
  logitsKey,
  maxStoredLogits,
} from '../store/run-layout.ts';
import type { Store } from '../store/store.ts';
import { getIfPresent } from '../store/write-once.ts';
import { type EpochEvaluations, posthocRows, type UnscoredEpoch } from './posthoc-rows.ts';
import type { PosthocRow } from './schema.ts';

/** Stores an evaluated epoch's logits as the `point` ones; a split over the bound is not written. */
export async function storeEpochLogits(
  store: Store,
  jobId: string,
  point: LogitsPoint,
  epochLogits: EpochLogits,
): Promise<string[]> {
  const keys: string[] = [];
  for (const split of ['test', 'validation'] as const) {
    const captured = epochLogits[split];
    if (captured === undefined || captured === null) continue;
    const key = logitsKey(jobId, point, split);
    const bytes = encodeLogits({
      point,
      split,
      epoch: epochLogits.epoch,
      head: epochLogits.head,
      ...captured,
    });
    await store.put(key, bytes, { contentType: logitsContentType });
    keys.push(key);
  }
  return keys;
}

/** A split's full evaluation with every post-hoc view (logit adjustment, τ-norm) of its logits. */
export function evaluationFromLogits(stored: StoredLogits, trainCounts: readonly number[]): Evaluation {
  const adjustments = [
    ...logitAdjustments(trainCounts),
    ...(stored.head === null ? [] : tauNormAdjustmentsOf(stored.head.squaredNorms, stored.head.bias)),
  ];
  const accumulator = new EvaluationAccumulator({ numClasses: stored.numClasses, trainCounts, adjustments });
  accumulator.addLogits(stored.labels, stored.logits);
  return accumulator.finish();
}

export interface PosthocSource {
  readonly trainCounts: readonly number[];
  readonly classifier: 'linear' | 'cosine';
  /** The epochs the report names as final and best: the stored logits must be theirs. */
  readonly epochs: Readonly<Record<LogitsPoint, number>>;
  /** Examples per evaluated split (a split whose N × K is over the bound has no stored logits). */
  readonly splitSizes: { readonly test: number; readonly validation?: number };
}

/** Reads the stored logits of both points and scores the post-hoc rows from them. */
export async function posthocRowsFromStore(
  store: Store,
  jobId: string,
  source: PosthocSource,
): Promise<PosthocRow[]> {
  const final = await epochEvaluations(store, jobId, 'final', source);
  const best = await epochEvaluations(store, jobId, 'best', source);
  return posthocRows({ final, best }, source.classifier);
}

async function epochEvaluations(
  store: Store,
  jobId: string,
  point: LogitsPoint,
  source: PosthocSource,
): Promise<EpochEvaluations | UnscoredEpoch> {
  const epoch = source.epochs[point];
  const test = await storedSplit(store, jobId, point, 'test', source);
  if (typeof test === 'string') return { epoch, unscored: test };
  let validation: StoredLogits | undefined;
  if (source.splitSizes.validation !== undefined) {
    const stored = await storedSplit(store, jobId, point, 'validation', source);
    if (typeof stored === 'string') return { epoch, unscored: stored };
    validation = stored;
  }
  return {
    epoch,
    test: evaluationFromLogits(test, source.trainCounts),
    ...(validation === undefined ? {} : { validation: evaluationFromLogits(validation, source.trainCounts) }),
  };
}

/** The stored split, or why it cannot be used. */
async function storedSplit(
  store: Store,
  jobId: string,
  point: LogitsPoint,
  split: LogitsSplit,
  source: PosthocSource,
): Promise<StoredLogits | string> {
  const key = logitsKey(jobId, point, split);
  const count = source.splitSizes[split] ?? 0;
  const k = source.trainCounts.length;
  if (count * k > maxStoredLogits)
    return `the ${split} split's ${count} × ${k} logits exceed the ${maxStoredLogits} stored per file`;
  const bytes = await getIfPresent(store, key);
  if (bytes === undefined) return `no stored logits at ${key}`;
  let stored: StoredLogits;
  try {
    stored = decodeLogits(bytes);
  } catch (error) {
    return `${key}: ${error instanceof Error ? error.message : String(error)}`;
  }
  const epoch = source.epochs[point];
  if (stored.epoch !== epoch) return `${key} holds epoch ${stored.epoch}, not the ${point} epoch ${epoch}`;
  if (stored.labels.length !== count || stored.numClasses !== k)
    return `${key} holds ${stored.labels.length} × ${stored.numClasses} logits, not ${count} × ${k}`;
  return stored;
}
