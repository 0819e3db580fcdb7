// Which CUDA/cuDNN a given @tensorflow/tfjs-node-gpu needs: it downloads a fixed libtensorflow
// (scripts/deps-constants.js, LIBTENSORFLOW_VERSION), built against one CUDA/cuDNN pair.

export type CudaRequirement = {
  /** libtensorflow the package's install script downloads. */
  readonly libtensorflow: string;
  /** CUDA major.minor TensorFlow built and tested that libtensorflow with. */
  readonly cuda: string;
  /** cuDNN major.minor of the same tested configuration. */
  readonly cudnn: string;
  /** nvidia/cuda runtime image carrying that CUDA and cuDNN. */
  readonly baseImage: string;
};

/**
 * tfjs-node-gpu version → libtensorflow → CUDA/cuDNN. Sources: the package's
 * scripts/deps-constants.js, and TensorFlow's tested build configurations (TF 2.9: CUDA 11.2, cuDNN 8.1).
 */
export const tfjsNodeGpuCuda: Readonly<Record<string, CudaRequirement>> = {
  '4.22.0': {
    libtensorflow: '2.9.1',
    cuda: '11.2',
    cudnn: '8.1',
    baseImage: 'nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04',
  },
};

export type CudaImageTag = { readonly cuda: string; readonly cudnnMajor: string; readonly flavour: string };

/** Reads `nvidia/cuda:<major>.<minor>.<patch>-cudnn<N>-<flavour>-<os>`; undefined for any other image. */
export function parseCudaImage(image: string): CudaImageTag | undefined {
  const match = /^(?:docker\.io\/)?nvidia\/cuda:(\d+)\.(\d+)(?:\.\d+)?-cudnn(\d+)-(runtime|devel|base)-/.exec(
    image,
  );
  if (match === null) return undefined;
  const [, major, minor, cudnnMajor, flavour] = match;
  if (major === undefined || minor === undefined || cudnnMajor === undefined || flavour === undefined) {
    return undefined;
  }
  return { cuda: `${major}.${minor}`, cudnnMajor, flavour };
}

/** Problems (empty when none) with running `tfjsVersion`'s libtensorflow on `image`. */
export function cudaImageProblems(tfjsVersion: string, image: string): string[] {
  const required = tfjsNodeGpuCuda[tfjsVersion];
  if (required === undefined) {
    return [`@tensorflow/tfjs-node-gpu ${tfjsVersion} is not in the CUDA table (infra/lib/cuda-compat.ts)`];
  }
  const tag = parseCudaImage(image);
  if (tag === undefined) return [`base image ${image} is not an nvidia/cuda cuDNN image`];
  const problems: string[] = [];
  if (tag.cuda !== required.cuda) {
    problems.push(
      `base image has CUDA ${tag.cuda}; libtensorflow ${required.libtensorflow} needs ${required.cuda}`,
    );
  }
  const cudnnMajor = required.cudnn.split('.')[0];
  if (tag.cudnnMajor !== cudnnMajor) {
    problems.push(
      `base image has cuDNN ${tag.cudnnMajor}; libtensorflow ${required.libtensorflow} needs ${required.cudnn}`,
    );
  }
  return problems;
}
