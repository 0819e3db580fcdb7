// The shared libraries a GPU run opens. libtensorflow 2.9.1 (what @tensorflow/tfjs-node-gpu 4.22.0
// downloads) was built against CUDA 11.2 and cuDNN 8.1 and dlopens these sonames when it creates
// its GPU device; infra/lib/cuda-compat.ts keeps the version table Dockerfile.gpu is checked against.

/** The CUDA driver's user-space library, mounted from the host by the NVIDIA container toolkit. */
export const cudaDriverSoname = 'libcuda.so.1';

/** CUDA 11.2 runtime libraries and cuDNN 8, shipped in the image. */
export const cudaRuntimeSonames: readonly string[] = [
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
];

/** Device nodes every GPU container has; at least one numbered node (/dev/nvidia0, …) too. */
export const nvidiaControlNodes: readonly string[] = ['nvidiactl', 'nvidia-uvm'];
