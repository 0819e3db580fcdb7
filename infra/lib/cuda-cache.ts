// A CUDA compute cache that outlives the container. libtensorflow 2.9.1's CUDA 11.2 kernels carry
// sm_75 code and compute_80 PTX: an A10G (sm_86, g5) JIT-compiles the PTX at start-up, which can
// take many minutes. The driver caches the result in CUDA_CACHE_PATH (default ~/.nv, lost with the
// container); a host directory keeps it for every later job on the same instance.
import { trainerUid } from '../../trainer/process/contract.ts';

/** On the instance: created by the launch template's user data, owned by the image's trainer user. */
export const cudaCacheHostPath = '/var/cache/ldam-cuda';
/** In the container. */
export const cudaCacheContainerPath = '/var/cache/cuda';
/** The driver's largest allowed cache (4 GiB); the default (256 MiB in CUDA 11) can evict TensorFlow's kernels. */
export const cudaCacheMaxBytes = 4 * 1024 ** 3;

/** The environment the CUDA driver reads. */
export function cudaCacheEnvironment(): Record<string, string> {
  return { CUDA_CACHE_PATH: cudaCacheContainerPath, CUDA_CACHE_MAXSIZE: String(cudaCacheMaxBytes) };
}

/** Shell commands for the instance's user data: the cache directory, writable by the trainer only. */
export function cudaCacheHostCommands(): string[] {
  return [`install -d -m 0700 -o ${trainerUid} -g ${trainerUid} ${cudaCacheHostPath}`];
}
