import type { MicroBatchPlan } from '../engine/index.ts';
import { TrainerEnv } from '../process/contract.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The step budget of `LDAM_MEMORY_BUDGET_MB` in bytes; undefined when unset (the backend's default). */
export function memoryBudgetBytesOf(env: Env): number | undefined {
  const raw = env[TrainerEnv.memoryBudgetMb]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const mib = Number(raw);
  if (!(Number.isFinite(mib) && mib > 0))
    throw new Error(`${TrainerEnv.memoryBudgetMb} must be a positive number of MiB, got '${raw}'`);
  return mib * 2 ** 20;
}

/** The plan as run.json, the event log and the progress output record it (null: no budget). */
export function memoryPlanFields(plan: MicroBatchPlan): Record<string, number | boolean | null> {
  return {
    microBatchSize: plan.microBatchSize,
    microBatches: plan.microBatches,
    batchNormPerMicroBatch: plan.batchNormPerMicroBatch,
    estimatedPeakBytes: Math.round(plan.estimatedPeakBytes),
    budgetBytes: Number.isFinite(plan.budgetBytes) ? plan.budgetBytes : null,
  };
}

export function describeMemoryPlan(plan: MicroBatchPlan): string {
  if (plan.microBatches === 1) return 'micro-batches: 1 (whole batches fit the memory budget)';
  const statistics = plan.batchNormPerMicroBatch ? '; batch-norm statistics per micro-batch' : '';
  return `micro-batches: ${plan.microBatches} of ${plan.microBatchSize} examples (gradients accumulated${statistics})`;
}
