// Which CUDA/cuDNN a given @tensorflow/tfjs-node-gpu needs: it downloads a fixed libtensorflow
// (scripts/deps-constants.js, LIBTENSORFLOW_VERSION), built against one CUDA/cuDNN pair.
import { cudaRuntimeSonames } from '../../trainer/engine/gpu/libraries.ts';

export type CudaRequirement = {
  /** libtensorflow the package's install script downloads. */
  readonly libtensorflow: string;
  /** CUDA major.minor TensorFlow built and tested that libtensorflow with. */
  readonly cuda: string;
  /** cuDNN version of the same tested configuration, as NVIDIA's apt repository names it. */
  readonly cudnn: string;
  /** Base OS whose NVIDIA apt repository still carries those packages. */
  readonly baseImage: string;
  /** Shared libraries libtensorflow opens at run time (dlopen, so a missing one only shows on a GPU). */
  readonly sonames: readonly string[];
};

/**
 * tfjs-node-gpu version → libtensorflow → CUDA/cuDNN. Sources: the package's
 * scripts/deps-constants.js, and TensorFlow's tested build configurations (TF 2.9: CUDA 11.2, cuDNN 8.1).
 */
export const tfjsNodeGpuCuda: Readonly<Record<string, CudaRequirement>> = {
  '4.22.0': {
    libtensorflow: '2.9.1',
    cuda: '11.2',
    cudnn: '8.1.1.33',
    baseImage: 'ubuntu:20.04',
    // The same list the trainer's GPU check resolves (ldam gpu-check).
    sonames: cudaRuntimeSonames,
  },
};

/** NVIDIA apt packages of the CUDA runtime libraries libtensorflow needs, for `cuda` like '11.2'. */
export function cudaRuntimePackages(cuda: string): string[] {
  const suffix = cuda.replace('.', '-');
  return ['cuda-cudart', 'libcublas', 'libcufft', 'libcurand', 'libcusolver', 'libcusparse'].map(
    (name) => `${name}-${suffix}`,
  );
}

/** The pinned cuDNN package: `libcudnn8=8.1.1.33-1+cuda11.2`. */
export function cudnnPackage(requirement: CudaRequirement): string {
  const major = requirement.cudnn.split('.')[0] ?? '';
  return `libcudnn${major}=${requirement.cudnn}-1+cuda${requirement.cuda}`;
}

/** Problems (empty when none) with the CUDA stage `installText` (its RUN lines) built on `baseImage`. */
export function cudaInstallProblems(tfjsVersion: string, baseImage: string, installText: string): string[] {
  const required = tfjsNodeGpuCuda[tfjsVersion];
  if (required === undefined) {
    return [`@tensorflow/tfjs-node-gpu ${tfjsVersion} is not in the CUDA table (infra/lib/cuda-compat.ts)`];
  }
  const problems: string[] = [];
  if (baseImage !== required.baseImage) {
    problems.push(
      `the CUDA stage is built on ${baseImage}; NVIDIA's packages for CUDA ${required.cuda} need ${required.baseImage}`,
    );
  }
  const words = new Set(installText.split(/\s+/));
  for (const name of [...cudaRuntimePackages(required.cuda), cudnnPackage(required)]) {
    if (!words.has(name))
      problems.push(`the CUDA stage does not install ${name} (libtensorflow ${required.libtensorflow})`);
  }
  const otherCuda = [...installText.matchAll(/\b(?:cuda-[a-z]+|lib[a-z]+)-(\d+-\d+)\b/g)]
    .map((match) => match[1]?.replace('-', '.'))
    .filter((version) => version !== required.cuda);
  if (otherCuda.length > 0) {
    problems.push(
      `the CUDA stage installs CUDA ${otherCuda.join(', ')} packages; libtensorflow ${required.libtensorflow} needs ${required.cuda}`,
    );
  }
  return problems;
}
