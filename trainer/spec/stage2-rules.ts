import { isDeepStrictEqual } from 'node:util';
import type { ExperimentSpec } from './experiment.ts';
import { resolveExperiment } from './resolve.ts';

// What makes a stage-2 spec (stage2.ts) fit the job it starts from; checked by the API at submit
// and by the trainer before it loads the checkpoint.

/** A rule a stage-2 spec breaks against its stage-1 job's spec: the field and why. */
export interface Stage2Issue {
  readonly path: string;
  readonly rule: string;
}

/**
 * Why `stage2` cannot start from a job with spec `stage1`: the features' inputs (dataset) and
 * shape (model, classifier head) must be the stage-1 job's, and stage 1 must be a first stage.
 */
export function stage2Issues(stage2: ExperimentSpec, stage1: ExperimentSpec): Stage2Issue[] {
  const issues: Stage2Issue[] = [];
  const from = stage2.stage2?.fromJob ?? '';
  if (stage1.stage2 !== undefined)
    issues.push({
      path: 'stage2.fromJob',
      rule: `job ${from} is itself a stage-2 job (from ${stage1.stage2.fromJob}); start from a first-stage job`,
    });
  for (const field of ['dataset', 'model'] as const) {
    const path = firstDifference(stage2[field], stage1[field], field);
    if (path !== undefined)
      issues.push({ path, rule: `must equal job ${from}'s ${path} (the features were trained on it)` });
  }
  const head = resolveExperiment(stage2).classifier;
  const stage1Head = resolveExperiment(stage1).classifier;
  if (head !== stage1Head)
    issues.push({
      path: 'loss.type',
      rule: `needs a ${head} classifier head, but job ${from} has a ${stage1Head} one (set model.classifier or the loss to match)`,
    });
  return issues;
}

/** Dotted path of the first field where `a` and `b` differ, or undefined when deep-equal. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (!isRecord(a) || !isRecord(b)) return path;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const inner = firstDifference(a[key], b[key], `${path}.${key}`);
    if (inner !== undefined) return inner;
  }
  return path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
