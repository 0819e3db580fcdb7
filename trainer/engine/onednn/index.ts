import { availableParallelism } from 'node:os';
import { TrainerEnv } from '../../process/contract.ts';
import { loadOnednnAddon } from './addon.ts';
import { registerOnednnBackend } from './backend.ts';
import { registerReluGradient } from './gradients.ts';
import { batchNormKernels } from './kernels/batch-norm.ts';
import { convKernels } from './kernels/conv.ts';
import { copyKernels } from './kernels/copy.ts';
import { eltwiseKernels } from './kernels/eltwise.ts';
import { matmulKernels } from './kernels/matmul.ts';
import { poolKernels } from './kernels/pool.ts';
import { segmentKernels } from './kernels/segment.ts';

export { OnednnBackend, onednnBackendName } from './backend.ts';

const nativeKernels = [
  ...convKernels,
  ...matmulKernels,
  ...batchNormKernels,
  ...eltwiseKernels,
  ...poolKernels,
  ...copyKernels,
  ...segmentKernels,
];

/** Kernels with a native path on onednn (the rest are tfjs's cpu kernels on the same data). */
export function nativeKernelNames(): string[] {
  return nativeKernels.map((k) => k.kernelName);
}

export interface OnednnInfo {
  /** The instruction set oneDNN dispatches to here, e.g. avx512_core. */
  readonly isa: string;
  readonly version: string;
  readonly threads: number;
}

/**
 * OpenMP threads: `LDAM_THREADS` if set, else min(the spec's cpus, the machine's available
 * parallelism), so two local jobs do not oversubscribe the cores.
 */
export function onednnThreads(env: NodeJS.ProcessEnv, cpus?: number): number {
  const raw = env[TrainerEnv.threads]?.trim();
  if (raw !== undefined && raw !== '') {
    const threads = Number(raw);
    if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
      throw new Error(`${TrainerEnv.threads} must be an integer from 1 to 1024 (got '${raw}')`);
    }
    return threads;
  }
  return Math.max(1, Math.min(cpus ?? Number.POSITIVE_INFINITY, availableParallelism()));
}

/** Loads the addon (throws with the reason if it cannot) and registers the `onednn` backend. */
export function loadOnednnBackend(env: NodeJS.ProcessEnv, cpus?: number): OnednnInfo {
  const addon = loadOnednnAddon(onednnThreads(env, cpus), env);
  registerOnednnBackend(nativeKernels);
  registerReluGradient();
  return addon.info();
}
