// Public surface of the training engine: backend selection and wasm training kernels.

export type { BackendAttempt, BackendName, BackendPreference, SelectedBackend } from './backend.ts';
export {
  BackendUnavailableError,
  backendPreferences,
  parsePreference,
  selectBackend,
  wasmBinaryDirectory,
} from './backend.ts';
export type { GpuCheckMode, GpuFacts } from './gpu/check.ts';
export { GpuUnavailableError, gpuProblems } from './gpu/check.ts';
export { checkGpuBackend, selectCheckedBackend } from './gpu/checked-backend.ts';
export type { AccumulateOptions, BatchGradients } from './gradients.ts';
export { accumulateGradients } from './gradients.ts';
export { registerTrainingKernels, trainingKernelNames } from './kernels/register.ts';
export { activationElementsPerExample, estimateTrainingPeakBytes } from './memory/estimate.ts';
export type { MicroBatchPlan, PlanOptions } from './memory/plan.ts';
export {
  MemoryBudgetError,
  planMicroBatches,
  usesBatchNorm,
  wasmTrainingBudgetBytes,
} from './memory/plan.ts';
