// The cost guard (LDAM_MAX_ESTIMATED_SECONDS): a spec whose estimated run time on this runner is
// over the limit is never admitted. One rule for a job and for every cell of a benchmark.
import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import { CostLimitExceeded } from '../errors.ts';
import { estimateRunSeconds } from './estimate.ts';
import type { DeviceKind } from './throughput.ts';

export interface CostGuard {
  readonly device: DeviceKind;
  /** The runner's kind, reported with the estimate. */
  readonly runnerKind: string;
  readonly maxEstimatedSeconds: number;
}

/** The refusal of a spec over the guard, or undefined when it may run. */
export function costRefusal(spec: ExperimentSpec, guard: CostGuard): CostLimitExceeded | undefined {
  const estimate = estimateRunSeconds(spec, guard.device);
  if (estimate.seconds <= guard.maxEstimatedSeconds) return undefined;
  return new CostLimitExceeded(estimate.seconds, guard.maxEstimatedSeconds, {
    ...estimate,
    runner: guard.runnerKind,
  });
}
