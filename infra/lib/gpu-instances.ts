// The GPU instance types the compute environments may launch, with what a job can ask of them.

export type GpuInstance = {
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly gpus: number;
  /** The GPU model: T4 (g4dn, Turing) or A10G (g5, Ampere); both run CUDA 11.2 code. */
  readonly gpu: 'T4' | 'A10G';
};

/** AWS's published sizes (EC2 instance type pages, g4dn and g5 families). */
export const gpuInstances: Readonly<Record<string, GpuInstance>> = {
  'g4dn.xlarge': { vcpus: 4, memoryGiB: 16, gpus: 1, gpu: 'T4' },
  'g4dn.2xlarge': { vcpus: 8, memoryGiB: 32, gpus: 1, gpu: 'T4' },
  'g4dn.4xlarge': { vcpus: 16, memoryGiB: 64, gpus: 1, gpu: 'T4' },
  'g4dn.8xlarge': { vcpus: 32, memoryGiB: 128, gpus: 1, gpu: 'T4' },
  'g4dn.12xlarge': { vcpus: 48, memoryGiB: 192, gpus: 4, gpu: 'T4' },
  'g5.xlarge': { vcpus: 4, memoryGiB: 16, gpus: 1, gpu: 'A10G' },
  'g5.2xlarge': { vcpus: 8, memoryGiB: 32, gpus: 1, gpu: 'A10G' },
  'g5.4xlarge': { vcpus: 16, memoryGiB: 64, gpus: 1, gpu: 'A10G' },
  'g5.8xlarge': { vcpus: 32, memoryGiB: 128, gpus: 1, gpu: 'A10G' },
  'g5.12xlarge': { vcpus: 48, memoryGiB: 192, gpus: 4, gpu: 'A10G' },
};

/** Cheapest single-GPU sizes first: a job asks for 1 GPU, so bigger sizes only waste money. */
export const defaultGpuInstanceTypes: readonly string[] = [
  'g4dn.xlarge',
  'g5.xlarge',
  'g4dn.2xlarge',
  'g5.2xlarge',
];

/** The ECS agent and OS keep part of the memory: plan jobs against this fraction of it. */
export const schedulableMemoryFraction = 0.9;
