import { DataError } from '../data/index.ts';
import { GpuUnavailableError, MemoryBudgetError } from '../engine/index.ts';
import { DivergedError } from '../loop/index.ts';
import { TrainerEnv } from '../process/contract.ts';
import { ExitCode } from '../process/exit-codes.ts';
import { EmptyClassError } from '../rebalance/index.ts';
import { SpecValidationError } from '../spec/index.ts';
import { UsageError } from './args.ts';

/** Every error's exit code, in one place (trainer/process/exit-codes.ts). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof SpecValidationError || error instanceof UsageError) return ExitCode.invalidSpec;
  if (error instanceof DataError || error instanceof EmptyClassError) return ExitCode.dataError;
  if (error instanceof DivergedError) return ExitCode.diverged;
  if (error instanceof GpuUnavailableError) return ExitCode.gpuUnavailable;
  // MemoryBudgetError: the model does not fit this backend's memory, so exit 1 like other failures.
  return ExitCode.failure;
}

/** What stderr says about a failure: every failing field for specs, the message otherwise. */
export function describeFailure(error: unknown): string {
  if (error instanceof SpecValidationError)
    return [
      'invalid experiment spec:',
      ...error.issues.map((i) => `  ${i.path || '(root)'}: ${i.rule}`),
    ].join('\n');
  if (error instanceof MemoryBudgetError)
    return `${error.name}: ${error.message} (${TrainerEnv.memoryBudgetMb} sets the step budget in MiB)`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
