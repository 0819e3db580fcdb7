// Admission of a stage-2 (cRT) job: the job it starts from must be the caller's, finished, and a
// first-stage job of the same dataset and model (trainer/spec/stage2-rules.ts).
import type { JobState } from '../../trainer/events/reduce.ts';
import { type ExperimentSpec, stage2Issues } from '../../trainer/spec/index.ts';
import { IncompatibleStage1, NotFound, StateConflict } from '../errors.ts';

export interface Stage1Lookup {
  /** The job's owner, or undefined when there is no such job. */
  ownerOf(jobId: string): Promise<string | undefined>;
  specOf(jobId: string): Promise<ExperimentSpec>;
  stateOf(jobId: string): Promise<JobState>;
}

/** Throws NotFound (404), StateConflict (409) or IncompatibleStage1 (422) with the reason. */
export async function checkStage1(owner: string, spec: ExperimentSpec, lookup: Stage1Lookup): Promise<void> {
  const from = spec.stage2?.fromJob;
  if (from === undefined) return;
  // Another owner's job reads as absent, as on every other route.
  if ((await lookup.ownerOf(from)) !== owner) throw new NotFound(`stage2.fromJob: no job '${from}'`);
  const state = await lookup.stateOf(from);
  if (state.status !== 'succeeded')
    throw new StateConflict(
      `stage2.fromJob: job '${from}' is ${state.status}; stage 2 starts from a succeeded job's last checkpoint`,
    );
  const issues = stage2Issues(spec, await lookup.specOf(from));
  if (issues.length > 0) throw new IncompatibleStage1(issues);
}
