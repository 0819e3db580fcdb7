// Whether this process can train on the GPU, decided from probed facts (probes.ts). Pure, so every
// way a GPU deployment breaks is tested without a GPU. libtensorflow quietly falls back to the CPU
// when the device, the driver or a CUDA library is missing; this check turns that into an error.

/** One shared library, as the dynamic loader saw it: `error` is dlopen's message when it failed. */
export interface LibraryLoad {
  readonly name: string;
  readonly error?: string;
}

export interface TensorflowFacts {
  /** The active 'tensorflow' backend is @tensorflow/tfjs-node-gpu's (the CUDA build of libtensorflow). */
  readonly gpuPackage: boolean;
  /** libtensorflow's device list has a GPU, so the backend places its ops on it (GPU:0). */
  readonly gpuDevice: boolean;
  /** A small matMul run on that device: its time (the first op loads or JIT-compiles kernels), or why it failed. */
  readonly op: { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly error: string };
}

export interface GpuFacts {
  /** The NVIDIA device nodes the container toolkit mounts, and whether each exists. */
  readonly deviceNodes: readonly { readonly path: string; readonly present: boolean }[];
  /** The CUDA driver library (libcuda.so.1), mounted from the host. */
  readonly driver: LibraryLoad;
  /** The CUDA runtime libraries libtensorflow opens (shipped in the image). */
  readonly runtimeLibraries: readonly LibraryLoad[];
  /** Undefined when the GPU package did not load at all. */
  readonly tensorflow?: TensorflowFacts;
  /** Why the GPU package did not load, when it did not. */
  readonly loadError?: string;
}

/**
 * 'gpu': everything a training run needs. 'no-gpu': what an image build can prove without a GPU
 * (the GPU build of libtensorflow loads, its CUDA libraries resolve, an op runs, on the CPU).
 */
export type GpuCheckMode = 'gpu' | 'no-gpu';

export const matMulExpected = [19, 22, 43, 50] as const;

const deviceHint =
  'the container was started without a GPU (AWS Batch GPU resource requirement, docker --gpus)';
const driverHint =
  'the NVIDIA container toolkit mounts it from the host when NVIDIA_DRIVER_CAPABILITIES includes compute';

/** Every reason the GPU cannot be used, each naming what is missing; empty when it can. */
export function gpuProblems(facts: GpuFacts, mode: GpuCheckMode): string[] {
  const problems: string[] = [];
  if (mode === 'gpu') {
    const missing = facts.deviceNodes.filter((node) => !node.present).map((node) => node.path);
    if (missing.length > 0) problems.push(`GPU device nodes missing: ${missing.join(', ')} (${deviceHint})`);
    if (facts.driver.error !== undefined)
      problems.push(
        `CUDA driver ${facts.driver.name} cannot be loaded: ${facts.driver.error} (${driverHint})`,
      );
  }
  for (const library of facts.runtimeLibraries) {
    if (library.error !== undefined)
      problems.push(
        `CUDA library ${library.name} cannot be loaded: ${library.error} (Dockerfile.gpu installs it)`,
      );
  }
  const tf = facts.tensorflow;
  if (tf === undefined) {
    problems.push(`@tensorflow/tfjs-node-gpu did not load: ${facts.loadError ?? 'unknown error'}`);
    return problems;
  }
  if (!tf.gpuPackage)
    problems.push(
      "the 'tensorflow' backend is @tensorflow/tfjs-node's CPU build, not @tensorflow/tfjs-node-gpu",
    );
  if (mode === 'gpu' && !tf.gpuDevice)
    problems.push(
      "libtensorflow lists no GPU device, so it would train on the CPU (its 'Could not load dynamic library' lines above say which)",
    );
  if (!tf.op.ok)
    problems.push(`a small op on ${mode === 'gpu' ? 'GPU:0' : 'the CPU'} failed: ${tf.op.error}`);
  return problems;
}

/** The trainer cannot use the GPU it was asked to train on (exit 5, never a silent CPU run). */
export class GpuUnavailableError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`no usable GPU:\n  - ${problems.join('\n  - ')}`);
    this.name = 'GpuUnavailableError';
    this.problems = problems;
  }
}
