// The deployment's defaults, once: each construct falls back to these, and the stack resolves its
// settings from the same values before validating them as a whole.
import { EcsMachineImageType } from 'aws-cdk-lib/aws-batch';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { defaultGpuInstanceTypes } from './gpu-instances.ts';

export const infraDefaults = {
  gpuInstanceTypes: defaultGpuInstanceTypes,
  /** Per compute environment. */
  maxvCpus: 16,
  spotBidPercentage: 100,
  machineImageType: EcsMachineImageType.ECS_AL2023_NVIDIA,
  runnableTimeoutMinutes: 60,
  jobAttempts: 3,
  /** 12 hours. */
  attemptTimeoutMinutes: 720,
  /** 14 GiB: what a 16 GiB g4dn/g5.xlarge leaves after the ECS agent. */
  jobResources: { vcpus: 4, memoryMiB: 14_336, gpus: 1 },
  logRetention: RetentionDays.ONE_MONTH,
  apiKeyOwner: 'admin',
} as const;
