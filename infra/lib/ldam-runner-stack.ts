// The whole deployment: artifact bucket, GPU Batch fleet, the trainer job definition and the API.
// Only wiring: each piece is its own construct; settings are checked as a whole before anything is built.
import { fileURLToPath } from 'node:url';
import { CfnOutput, CfnParameter, type RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { EcsMachineImageType } from 'aws-cdk-lib/aws-batch';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ApiEnv, TrainerEnv } from '../../trainer/process/contract.ts';
import { defaultGraceSeconds } from '../../trainer/process/exit-codes.ts';
import { ApiFunction } from './api-function.ts';
import { ApiGateway } from './api-gateway.ts';
import { ApiKeysSecret } from './api-keys-secret.ts';
import { ArtifactBucket } from './artifact-bucket.ts';
import { GpuComputeEnvironments } from './gpu-compute-environments.ts';
import { defaultGpuInstanceTypes } from './gpu-instances.ts';
import { datasetRoots } from './policies.ts';
import { TrainerImage, type TrainerImageSource } from './trainer-image.ts';
import { TrainerJobDefinition } from './trainer-job-definition.ts';
import { TrainerJobQueue } from './trainer-job-queue.ts';
import { TrainerNetwork } from './trainer-network.ts';
import {
  assertNoProblems,
  computeProblems,
  datasetLocationProblems,
  jobPolicyProblems,
} from './validation.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export type LdamRunnerStackProps = StackProps & {
  /**
   * 'asset' builds Dockerfile.gpu during deploy (Docker needed there); 'repository' runs the tag
   * given by the TrainerImageTag parameter from the stack's ECR repository (nothing built at synth).
   * @default 'repository'
   */
  readonly trainerImage?: 'asset' | 'repository';
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
  /** @default EcsMachineImageType.ECS_AL2023_NVIDIA */
  readonly machineImageType?: EcsMachineImageType;
  /** @default 60 */
  readonly runnableTimeoutMinutes?: number;
  /** @default 3 */
  readonly jobAttempts?: number;
  /** @default 720 */
  readonly attemptTimeoutMinutes?: number;
  /** @default { vcpus: 4, memoryMiB: 14336, gpus: 1 } */
  readonly jobResources?: { readonly vcpus: number; readonly memoryMiB: number; readonly gpus: number };
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly bucketRemovalPolicy?: RemovalPolicy;
  /** @default 'admin' */
  readonly apiKeyOwner?: string;
  /** @default <repository>/functions/lambda.ts */
  readonly apiEntry?: string;
};

export class LdamRunnerStack extends Stack {
  constructor(scope: Construct, id: string, props: LdamRunnerStackProps = {}) {
    super(scope, id, props);
    const datasetArns = props.datasetArns ?? [];
    const instanceTypes = props.gpuInstanceTypes ?? defaultGpuInstanceTypes;
    const maxvCpus = props.maxvCpus ?? 16;
    const spotBidPercentage = props.spotBidPercentage ?? 100;
    const job = props.jobResources ?? { vcpus: 4, memoryMiB: 14_336, gpus: 1 };
    const runnableTimeoutMinutes = props.runnableTimeoutMinutes ?? 60;
    const attempts = props.jobAttempts ?? 3;
    const attemptTimeoutMinutes = props.attemptTimeoutMinutes ?? 720;
    assertNoProblems('ldam-runner stack settings', [
      ...datasetLocationProblems(datasetArns),
      ...computeProblems({ instanceTypes, maxvCpus, spotBidPercentage, job }),
      ...jobPolicyProblems({
        runnableTimeoutMinutes,
        attempts,
        attemptTimeoutMinutes,
        graceSeconds: defaultGraceSeconds,
      }),
    ]);
    const logRetention = props.logRetention === undefined ? {} : { logRetention: props.logRetention };

    const artifacts = new ArtifactBucket(this, 'Artifacts', {
      ...(props.bucketRemovalPolicy === undefined ? {} : { removalPolicy: props.bucketRemovalPolicy }),
    });
    const network = new TrainerNetwork(this, 'Network', logRetention);
    const compute = new GpuComputeEnvironments(this, 'Gpu', {
      vpc: network.vpc,
      securityGroup: network.securityGroup,
      instanceTypes,
      maxvCpus,
      spotBidPercentage,
      ...(props.machineImageType === undefined ? {} : { machineImageType: props.machineImageType }),
    });
    const queue = new TrainerJobQueue(this, 'Jobs', {
      computeEnvironments: compute.ordered,
      runnableTimeoutMinutes,
    });
    const imageSource: TrainerImageSource =
      props.trainerImage === 'asset'
        ? { kind: 'asset', directory: repositoryRoot }
        : {
            kind: 'repository',
            tag: new CfnParameter(this, 'TrainerImageTag', {
              type: 'String',
              default: 'latest',
              description:
                "Tag of the trainer image in the stack's ECR repository (docker push before submitting jobs)",
              allowedPattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
            }).valueAsString,
          };
    const image = new TrainerImage(this, 'TrainerImage', { source: imageSource });
    const trainer = new TrainerJobDefinition(this, 'Trainer', {
      image: image.image,
      bucket: artifacts.bucket,
      datasetArns,
      vcpus: job.vcpus,
      memoryMiB: job.memoryMiB,
      gpus: job.gpus,
      attempts,
      attemptTimeoutMinutes,
      ...logRetention,
    });

    const apiKeys = new ApiKeysSecret(this, 'ApiKeys', {
      ...(props.apiKeyOwner === undefined ? {} : { owner: props.apiKeyOwner }),
    });
    const roots = datasetRoots(datasetArns);
    const api = new ApiFunction(this, 'Api', {
      bucket: artifacts.bucket,
      batch: {
        jobQueueArn: queue.queue.jobQueueArn,
        jobDefinitionArn: trainer.jobDefinition.jobDefinitionArn,
      },
      ...(props.apiEntry === undefined ? {} : { entry: props.apiEntry }),
      ...logRetention,
      environment: {
        [ApiEnv.runner]: 'aws-batch',
        [ApiEnv.batchJobQueue]: queue.queue.jobQueueArn,
        [ApiEnv.batchJobDefinition]: trainer.jobDefinition.jobDefinitionArn,
        [ApiEnv.batchAttemptTimeoutMinutes]: String(attemptTimeoutMinutes),
        [ApiEnv.apiKeys]: apiKeys.apiKeysValue,
        // The cost guard: refuse runs estimated to outlast one attempt's timeout.
        [ApiEnv.maxEstimatedSeconds]: String(attemptTimeoutMinutes * 60),
        [TrainerEnv.s3Bucket]: artifacts.bucket.bucketName,
        [TrainerEnv.s3Region]: this.region,
        ...(roots.length > 0 ? { [TrainerEnv.dataRoots]: roots.join(':') } : {}),
      },
    });
    const gateway = new ApiGateway(this, 'Gateway', { functionUrl: api.url.url, ...logRetention });

    new CfnOutput(this, 'ApiUrl', {
      value: gateway.stage.url,
      description: 'HTTP API (throttled, access-logged; buffers responses)',
    });
    new CfnOutput(this, 'StreamUrl', {
      value: api.url.url,
      description: 'Function URL (SSE event streams)',
    });
    new CfnOutput(this, 'BucketName', {
      value: artifacts.bucket.bucketName,
      description: 'S3_BUCKET for ldam datasets upload',
    });
    new CfnOutput(this, 'JobQueueArn', { value: queue.queue.jobQueueArn });
    new CfnOutput(this, 'JobDefinitionArn', { value: trainer.jobDefinition.jobDefinitionArn });
    new CfnOutput(this, 'ApiKeySecretArn', {
      value: apiKeys.secret.secretArn,
      description: 'owner and token of the API key',
    });
    new CfnOutput(this, 'TrainerLogGroup', { value: trainer.logGroup.logGroupName });
    if (image.repository !== undefined) {
      new CfnOutput(this, 'TrainerRepositoryUri', {
        value: image.repository.repositoryUri,
        description: 'docker push target',
      });
    }
  }
}
