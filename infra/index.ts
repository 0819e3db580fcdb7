// The infrastructure's public surface: the stack, its constructs, and the pure checks they share.
export { ApiFunction, type ApiFunctionProps } from './lib/api-function.ts';
export { ApiGateway, type ApiGatewayProps } from './lib/api-gateway.ts';
export { ApiKeysSecret, type ApiKeysSecretProps } from './lib/api-keys-secret.ts';
export { type AppSettings, appSettingsFromContext, contextKeys } from './lib/app-context.ts';
export { ArtifactBucket, type ArtifactBucketProps } from './lib/artifact-bucket.ts';
export {
  type CudaRequirement,
  cudaInstallProblems,
  cudaRuntimePackages,
  cudnnPackage,
  tfjsNodeGpuCuda,
} from './lib/cuda-compat.ts';
export { GpuComputeEnvironments, type GpuComputeEnvironmentsProps } from './lib/gpu-compute-environments.ts';
export { defaultGpuInstanceTypes, type GpuInstance, gpuInstances } from './lib/gpu-instances.ts';
export { LdamRunnerStack, type LdamRunnerStackProps } from './lib/ldam-runner-stack.ts';
export {
  artifactAccessStatements,
  type BatchApiTargets,
  batchApiStatements,
  datasetReadStatements,
  datasetRoots,
} from './lib/policies.ts';
export { trainerDockerfileProblems } from './lib/trainer-dockerfile.ts';
export { TrainerImage, type TrainerImageProps, type TrainerImageSource } from './lib/trainer-image.ts';
export {
  TrainerJobDefinition,
  type TrainerJobDefinitionProps,
  trainerRetryStrategies,
} from './lib/trainer-job-definition.ts';
export { TrainerJobQueue, type TrainerJobQueueProps } from './lib/trainer-job-queue.ts';
export { TrainerNetwork, type TrainerNetworkProps } from './lib/trainer-network.ts';
export { computeProblems, datasetLocationProblems, jobPolicyProblems, parseS3Arn } from './lib/validation.ts';
