// A job's spec.json: written once by the first attempt given a spec, read by later ones.
import { type ExperimentSpec, parseExperimentSpecJson, SpecValidationError } from '../spec/index.ts';
import { runKey } from '../store/index.ts';
import type { Store } from '../store/store.ts';

const specKey = (jobId: string): string => runKey(jobId, 'spec.json');

/** The spec the job stored (an attempt started with `--job` alone). */
export async function readJobSpec(store: Store, jobId: string): Promise<ExperimentSpec> {
  return parseExperimentSpecJson(new TextDecoder().decode(await store.get(specKey(jobId))));
}

/**
 * Stores a given spec as the job's, once; a job that already has another spec refuses it, so one
 * job's artifacts never mix two experiments.
 */
export async function recordJobSpec(store: Store, jobId: string, spec: ExperimentSpec): Promise<void> {
  const created = await store.putIfAbsent(specKey(jobId), `${JSON.stringify(spec, null, 2)}\n`, {
    contentType: 'application/json',
  });
  if (created) return;
  const stored = await readJobSpec(store, jobId);
  if (JSON.stringify(stored) !== JSON.stringify(spec))
    throw new SpecValidationError([
      { path: '', rule: `job ${jobId} already has a different spec.json; use a new --job id` },
    ]);
}
