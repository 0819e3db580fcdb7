// Public surface of the training engine: backend selection and wasm training kernels.

export type { BackendAttempt, BackendName, BackendPreference, SelectedBackend } from './backend.ts';
export {
  BackendUnavailableError,
  backendPreferences,
  parsePreference,
  selectBackend,
  wasmBinaryDirectory,
} from './backend.ts';
export { registerTrainingKernels, trainingKernelNames } from './kernels/register.ts';
