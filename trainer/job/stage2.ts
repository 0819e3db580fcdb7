// A stage-2 job's start (cRT, trainer/spec/stage2.ts): the stage-1 job's spec must fit and its
// last checkpoint gives the features; the API checked the same at submit, this guards the CLI.
import type * as tf from '@tensorflow/tfjs';
import { loadLatestCheckpoint } from '../checkpoint/index.ts';
import { parseVocabulary, type Vocabulary } from '../data/text/vocabulary.ts';
import {
  type ExperimentSpec,
  parseExperimentSpecJson,
  SpecValidationError,
  stage2Issues,
} from '../spec/index.ts';
import { specKey } from '../store/run-layout.ts';
import type { Store } from '../store/store.ts';
import { getIfPresent } from '../store/write-once.ts';

export interface Stage1Features {
  readonly jobId: string;
  /** Epochs the stage-1 checkpoint completed. */
  readonly epoch: number;
  /** The whole stage-1 network; the caller copies its features and disposes it. */
  readonly model: tf.LayersModel;
  readonly vocabulary?: Vocabulary;
}

const fromJobPath = 'stage2.fromJob';

/** The stage-1 job's last checkpoint, or undefined for a spec without `stage2`. */
export async function loadStage1(store: Store, spec: ExperimentSpec): Promise<Stage1Features | undefined> {
  const jobId = spec.stage2?.fromJob;
  if (jobId === undefined) return undefined;
  const body = await getIfPresent(store, specKey(jobId));
  if (body === undefined)
    throw new SpecValidationError([{ path: fromJobPath, rule: `no job ${jobId} in ${store.describe()}` }]);
  const issues = stage2Issues(spec, parseExperimentSpecJson(new TextDecoder().decode(body)));
  if (issues.length > 0) throw new SpecValidationError(issues);
  const checkpoint = await loadLatestCheckpoint(store, jobId);
  if (checkpoint === undefined)
    throw new SpecValidationError([{ path: fromJobPath, rule: `job ${jobId} has no checkpoint` }]);
  return {
    jobId,
    epoch: checkpoint.epoch,
    model: checkpoint.model,
    ...(checkpoint.vocabulary === undefined ? {} : { vocabulary: parseVocabulary(checkpoint.vocabulary) }),
  };
}
