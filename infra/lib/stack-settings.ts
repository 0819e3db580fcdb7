// The stack's settings with the defaults filled in, checked as a whole before anything is built.
import { defaultGraceSeconds } from '../../trainer/process/exit-codes.ts';
import { infraDefaults } from './defaults.ts';
import {
  assertNoProblems,
  computeProblems,
  datasetLocationProblems,
  jobPolicyProblems,
} from './validation.ts';

/** The stack's props that these settings come from (LdamRunnerStackProps includes them). */
export interface StackSettingsInput {
  /**
   * S3 bucket or prefix ARNs jobs may read datasets from, read-only.
   * @default [] (the artifact bucket's datasets/ only)
   */
  readonly datasetArns?: readonly string[];
  /** @default defaultGpuInstanceTypes */
  readonly gpuInstanceTypes?: readonly string[];
  /** @default 16 (per compute environment) */
  readonly maxvCpus?: number;
  /** @default 100 */
  readonly spotBidPercentage?: number;
  /** @default 60 */
  readonly runnableTimeoutMinutes?: number;
  /** @default 3 */
  readonly jobAttempts?: number;
  /** @default 720 */
  readonly attemptTimeoutMinutes?: number;
  /** @default { vcpus: 4, memoryMiB: 14336, gpus: 1 } */
  readonly jobResources?: { readonly vcpus: number; readonly memoryMiB: number; readonly gpus: number };
}

export interface StackSettings {
  readonly datasetArns: readonly string[];
  readonly instanceTypes: readonly string[];
  readonly maxvCpus: number;
  readonly spotBidPercentage: number;
  readonly job: { readonly vcpus: number; readonly memoryMiB: number; readonly gpus: number };
  readonly runnableTimeoutMinutes: number;
  readonly attempts: number;
  readonly attemptTimeoutMinutes: number;
}

/** Throws one error listing every problem (dataset ARNs, compute sizes, timeouts). */
export function resolveStackSettings(props: StackSettingsInput): StackSettings {
  const settings: StackSettings = {
    datasetArns: props.datasetArns ?? [],
    instanceTypes: props.gpuInstanceTypes ?? infraDefaults.gpuInstanceTypes,
    maxvCpus: props.maxvCpus ?? infraDefaults.maxvCpus,
    spotBidPercentage: props.spotBidPercentage ?? infraDefaults.spotBidPercentage,
    job: props.jobResources ?? infraDefaults.jobResources,
    runnableTimeoutMinutes: props.runnableTimeoutMinutes ?? infraDefaults.runnableTimeoutMinutes,
    attempts: props.jobAttempts ?? infraDefaults.jobAttempts,
    attemptTimeoutMinutes: props.attemptTimeoutMinutes ?? infraDefaults.attemptTimeoutMinutes,
  };
  const { datasetArns, instanceTypes, maxvCpus, spotBidPercentage, job } = settings;
  assertNoProblems('ldam-runner stack settings', [
    ...datasetLocationProblems(datasetArns),
    ...computeProblems({ instanceTypes, maxvCpus, spotBidPercentage, job }),
    ...jobPolicyProblems({
      runnableTimeoutMinutes: settings.runnableTimeoutMinutes,
      attempts: settings.attempts,
      attemptTimeoutMinutes: settings.attemptTimeoutMinutes,
      graceSeconds: defaultGraceSeconds,
    }),
  ]);
  return settings;
}
