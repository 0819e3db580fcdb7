// The whole deployment: artifact bucket, GPU Batch fleet, the trainer job definition and the API.
// Only wiring: each piece is its own construct; settings are checked as a whole before anything is built.
import { fileURLToPath } from 'node:url';
import { CfnOutput, CfnParameter, type RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { EcsMachineImageType } from 'aws-cdk-lib/aws-batch';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ApiEnv, TrainerEnv } from '../../trainer/process/contract.ts';
import { ApiFunction } from './api-function.ts';
import { ApiGateway } from './api-gateway.ts';
import { ApiKeysSecret } from './api-keys-secret.ts';
import { ArtifactBucket } from './artifact-bucket.ts';
import { GatewayToken } from './gateway-token.ts';
import { GpuComputeEnvironments } from './gpu-compute-environments.ts';
import { JobReconciler } from './job-reconciler.ts';
import { datasetRoots } from './policies.ts';
import { resolveStackSettings, type StackSettings, type StackSettingsInput } from './stack-settings.ts';
import { TrainerImage, type TrainerImageSource } from './trainer-image.ts';
import { TrainerJobDefinition } from './trainer-job-definition.ts';
import { TrainerJobQueue } from './trainer-job-queue.ts';
import { TrainerNetwork } from './trainer-network.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export type LdamRunnerStackProps = StackProps &
  StackSettingsInput & {
    /**
     * 'asset' builds Dockerfile.gpu during deploy (Docker needed there); 'repository' runs the tag
     * given by the TrainerImageTag parameter from the stack's ECR repository (nothing built at synth).
     * @default 'repository'
     */
    readonly trainerImage?: 'asset' | 'repository';
    /** @default EcsMachineImageType.ECS_AL2023_NVIDIA */
    readonly machineImageType?: EcsMachineImageType;
    /** @default RetentionDays.ONE_MONTH */
    readonly logRetention?: RetentionDays;
    /** @default RemovalPolicy.RETAIN */
    readonly bucketRemovalPolicy?: RemovalPolicy;
    /** @default 'admin' */
    readonly apiKeyOwner?: string;
    /** @default <repository>/functions/lambda.ts */
    readonly apiEntry?: string;
  };

/** What the API needs from the training side. */
interface TrainerFleet {
  readonly queue: TrainerJobQueue;
  readonly trainer: TrainerJobDefinition;
  readonly image: TrainerImage;
}

type LogRetentionProp = { logRetention?: RetentionDays };

export class LdamRunnerStack extends Stack {
  constructor(scope: Construct, id: string, props: LdamRunnerStackProps = {}) {
    super(scope, id, props);
    const settings = resolveStackSettings(props);
    const logRetention: LogRetentionProp =
      props.logRetention === undefined ? {} : { logRetention: props.logRetention };
    const artifacts = new ArtifactBucket(this, 'Artifacts', {
      ...(props.bucketRemovalPolicy === undefined ? {} : { removalPolicy: props.bucketRemovalPolicy }),
    });
    const fleet = this.#trainerFleet(props, settings, artifacts.bucket, logRetention);
    const apiKeys = new ApiKeysSecret(this, 'ApiKeys', {
      ...(props.apiKeyOwner === undefined ? {} : { owner: props.apiKeyOwner }),
    });
    const gatewayToken = new GatewayToken(this, 'GatewayToken');
    const api = this.#api(
      props,
      settings,
      { bucket: artifacts.bucket, fleet, apiKeys, gatewayToken },
      logRetention,
    );
    const gateway = new ApiGateway(this, 'Gateway', {
      functionUrl: api.url.url,
      gatewayToken: gatewayToken.value,
      ...logRetention,
    });
    this.#outputs({ gateway, api, bucket: artifacts.bucket, fleet, apiKeys });
  }

  /** Network, spot-then-on-demand GPU fleet, queue, image and the trainer's job definition. */
  #trainerFleet(
    props: LdamRunnerStackProps,
    settings: StackSettings,
    bucket: Bucket,
    logRetention: LogRetentionProp,
  ): TrainerFleet {
    const network = new TrainerNetwork(this, 'Network', logRetention);
    const compute = new GpuComputeEnvironments(this, 'Gpu', {
      vpc: network.vpc,
      securityGroup: network.securityGroup,
      instanceTypes: settings.instanceTypes,
      maxvCpus: settings.maxvCpus,
      spotBidPercentage: settings.spotBidPercentage,
      ...(props.machineImageType === undefined ? {} : { machineImageType: props.machineImageType }),
    });
    const queue = new TrainerJobQueue(this, 'Jobs', {
      computeEnvironments: compute.ordered,
      runnableTimeoutMinutes: settings.runnableTimeoutMinutes,
    });
    const image = new TrainerImage(this, 'TrainerImage', { source: this.#imageSource(props) });
    const trainer = new TrainerJobDefinition(this, 'Trainer', {
      image: image.image,
      bucket,
      datasetArns: settings.datasetArns,
      vcpus: settings.job.vcpus,
      memoryMiB: settings.job.memoryMiB,
      gpus: settings.job.gpus,
      attempts: settings.attempts,
      attemptTimeoutMinutes: settings.attemptTimeoutMinutes,
      ...logRetention,
    });
    return { queue, trainer, image };
  }

  #imageSource(props: LdamRunnerStackProps): TrainerImageSource {
    if (props.trainerImage === 'asset') return { kind: 'asset', directory: repositoryRoot };
    const tag = new CfnParameter(this, 'TrainerImageTag', {
      type: 'String',
      default: 'latest',
      description:
        "Tag of the trainer image in the stack's ECR repository (docker push before submitting jobs)",
      allowedPattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
    });
    return { kind: 'repository', tag: tag.valueAsString };
  }

  /** The API function, configured to submit to the fleet's queue. */
  #api(
    props: LdamRunnerStackProps,
    settings: StackSettings,
    parts: { bucket: Bucket; fleet: TrainerFleet; apiKeys: ApiKeysSecret; gatewayToken: GatewayToken },
    logRetention: LogRetentionProp,
  ): ApiFunction {
    const { bucket, fleet, apiKeys, gatewayToken } = parts;
    const jobQueueArn = fleet.queue.queue.jobQueueArn;
    const jobDefinitionArn = fleet.trainer.jobDefinition.jobDefinitionArn;
    const roots = datasetRoots(settings.datasetArns);
    const entry = props.apiEntry ?? `${repositoryRoot}functions/lambda.ts`;
    const environment = {
      [ApiEnv.runner]: 'aws-batch',
      [ApiEnv.batchJobQueue]: jobQueueArn,
      [ApiEnv.batchJobDefinition]: jobDefinitionArn,
      [ApiEnv.batchAttemptTimeoutMinutes]: String(settings.attemptTimeoutMinutes),
      // Read at run time (cached a minute): a put-secret-value rotates the key without a deploy.
      [ApiEnv.apiKeysSecret]: apiKeys.secret.secretArn,
      // Without the gateway's token a request gets event streams only (the Function URL is unthrottled).
      [ApiEnv.gatewayTokenSecret]: gatewayToken.secret.secretArn,
      // The cost guard: refuse runs estimated to outlast one attempt's timeout.
      [ApiEnv.maxEstimatedSeconds]: String(settings.attemptTimeoutMinutes * 60),
      [TrainerEnv.s3Bucket]: bucket.bucketName,
      [TrainerEnv.s3Region]: this.region,
      ...(roots.length > 0 ? { [TrainerEnv.dataRoots]: roots.join(':') } : {}),
    };
    const api = new ApiFunction(this, 'Api', {
      bucket,
      batch: { jobQueueArn, jobDefinitionArn },
      entry,
      ...logRetention,
      environment,
    });
    apiKeys.grantRead(api.role);
    gatewayToken.grantRead(api.role);
    new JobReconciler(this, 'Reconciler', {
      entry,
      projectRoot: repositoryRoot,
      environment,
      role: api.role,
      logGroup: api.logGroup,
      jobQueueArn,
    });
    return api;
  }

  #outputs(parts: {
    gateway: ApiGateway;
    api: ApiFunction;
    bucket: Bucket;
    fleet: TrainerFleet;
    apiKeys: ApiKeysSecret;
  }): void {
    const { gateway, api, bucket, fleet, apiKeys } = parts;
    new CfnOutput(this, 'ApiUrl', {
      value: gateway.stage.url,
      description: 'HTTP API (throttled, access-logged; buffers responses)',
    });
    new CfnOutput(this, 'StreamUrl', {
      value: api.url.url,
      description: 'Function URL: job event streams (SSE) only',
    });
    new CfnOutput(this, 'BucketName', {
      value: bucket.bucketName,
      description: 'S3_BUCKET for ldam datasets upload',
    });
    new CfnOutput(this, 'JobQueueArn', { value: fleet.queue.queue.jobQueueArn });
    new CfnOutput(this, 'JobDefinitionArn', { value: fleet.trainer.jobDefinition.jobDefinitionArn });
    new CfnOutput(this, 'ApiKeySecretArn', {
      value: apiKeys.secret.secretArn,
      description: 'owner and token of the API key',
    });
    new CfnOutput(this, 'TrainerLogGroup', { value: fleet.trainer.logGroup.logGroupName });
    if (fleet.image.repository !== undefined) {
      new CfnOutput(this, 'TrainerRepositoryUri', {
        value: fleet.image.repository.repositoryUri,
        description: 'docker push target',
      });
    }
  }
}
