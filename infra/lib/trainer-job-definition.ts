// One training attempt: the trainer image on one GPU running `ldam train --job <jobId>`, retried
// when spot capacity is reclaimed (the trainer resumes from its checkpoint), not when training fails.
import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import {
  Action,
  EcsEc2ContainerDefinition,
  EcsJobDefinition,
  EcsVolume,
  Reason,
  RetryStrategy,
} from 'aws-cdk-lib/aws-batch';
import { type ContainerImage, LogDriver } from 'aws-cdk-lib/aws-ecs';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
// Concrete: CDK's interfaces do not accept their own classes under exactOptionalPropertyTypes.
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { batchJobIdParameter, TrainerEnv, trainArgs } from '../../trainer/process/contract.ts';
import { defaultGraceSeconds } from '../../trainer/process/exit-codes.ts';
import { cudaCacheContainerPath, cudaCacheEnvironment, cudaCacheHostPath } from './cuda-cache.ts';
import { infraDefaults } from './defaults.ts';
import { acknowledgeNag, bucketObjectsResource } from './nag-acknowledgements.ts';
import {
  artifactAccessStatements,
  datasetObjectsArn,
  datasetReadStatements,
  datasetRoots,
  runsPrefix,
} from './policies.ts';
import { parseS3Arn } from './validation.ts';

export type TrainerJobDefinitionProps = {
  readonly image: ContainerImage;
  readonly bucket: Bucket;
  /**
   * S3 bucket or prefix ARNs jobs may read datasets from (read-only), besides the bucket's datasets/.
   * @default [] (only the artifact bucket)
   */
  readonly datasetArns?: readonly string[];
  /** @default 4 */
  readonly vcpus?: number;
  /** @default 14336 (14 GiB: what a 16 GiB g4dn/g5.xlarge leaves after the ECS agent) */
  readonly memoryMiB?: number;
  /** @default 1 */
  readonly gpus?: number;
  /**
   * Attempts per job, spot reclaims included.
   * @default 3
   */
  readonly attempts?: number;
  /**
   * Wall-clock limit of one attempt, in minutes; the trainer is sent SIGTERM when it is reached.
   * @default 720 (12 hours)
   */
  readonly attemptTimeoutMinutes?: number;
  /**
   * Retention of the trainer's container logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
};

/** The spot reclaim rule first (first match wins), then everything else exits. */
export const trainerRetryStrategies: readonly RetryStrategy[] = [
  RetryStrategy.of(Action.RETRY, Reason.SPOT_INSTANCE_RECLAIMED),
  RetryStrategy.of(Action.EXIT, Reason.custom({ onStatusReason: '*' })),
];

export class TrainerJobDefinition extends Construct {
  readonly jobDefinition: EcsJobDefinition;
  /** The role the trainer's AWS SDK calls run as. */
  readonly jobRole: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: TrainerJobDefinitionProps) {
    super(scope, id);
    const datasetArns = props.datasetArns ?? [];
    this.jobRole = new Role(this, 'JobRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'ldam trainer: its artifact bucket, read-only dataset locations',
    });
    for (const statement of [
      ...artifactAccessStatements(props.bucket, 'trainer'),
      ...datasetReadStatements(datasetArns),
    ]) {
      this.jobRole.addToPrincipalPolicy(statement);
    }
    this.acknowledgeJobRoleWildcards(props.bucket, datasetArns);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? infraDefaults.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const roots = datasetRoots(datasetArns);
    const environment: Record<string, string> = {
      [TrainerEnv.s3Bucket]: props.bucket.bucketName,
      [TrainerEnv.s3Region]: Stack.of(this).region,
      [TrainerEnv.backend]: 'tensorflow-gpu',
      [TrainerEnv.graceSeconds]: String(defaultGraceSeconds),
      ...(roots.length > 0 ? { [TrainerEnv.dataRoots]: roots.join(':') } : {}),
      ...cudaCacheEnvironment(),
    };
    const container = new EcsEc2ContainerDefinition(this, 'Container', {
      image: props.image,
      cpu: props.vcpus ?? infraDefaults.jobResources.vcpus,
      memory: Size.mebibytes(props.memoryMiB ?? infraDefaults.jobResources.memoryMiB),
      gpu: props.gpus ?? infraDefaults.jobResources.gpus,
      command: trainArgs(`Ref::${batchJobIdParameter}`),
      environment,
      jobRole: this.jobRole,
      volumes: [
        EcsVolume.host({
          name: 'cuda-cache',
          hostPath: cudaCacheHostPath,
          containerPath: cudaCacheContainerPath,
        }),
      ],
      logging: LogDriver.awsLogs({ logGroup: this.logGroup, streamPrefix: 'trainer' }),
    });
    this.jobDefinition = new EcsJobDefinition(this, 'JobDefinition', {
      container,
      retryAttempts: props.attempts ?? infraDefaults.jobAttempts,
      retryStrategies: [...trainerRetryStrategies],
      timeout: Duration.minutes(props.attemptTimeoutMinutes ?? infraDefaults.attemptTimeoutMinutes),
      propagateTags: true,
    });
    acknowledgeNag(
      container,
      'AwsSolutions-IAM5[Resource::*]',
      'ecr:GetAuthorizationToken (execution role, image pull) supports no resource-level permissions.',
    );
  }

  private acknowledgeJobRoleWildcards(bucket: Bucket, datasetArns: readonly string[]): void {
    acknowledgeNag(
      this.jobRole,
      `AwsSolutions-IAM5[${bucketObjectsResource(bucket, '*')}]`,
      'Read-only: a trainer reads its spec under runs/<jobId>/ and datasets under datasets/<name>/, ' +
        'keys only known at run time, in this bucket only.',
    );
    acknowledgeNag(
      this.jobRole,
      `AwsSolutions-IAM5[${bucketObjectsResource(bucket, `${runsPrefix}*`)}]`,
      'A trainer writes events, checkpoints and reports under runs/<jobId>/; the job id is a run-time value.',
    );
    for (const arn of datasetArns) {
      const location = parseS3Arn(arn);
      if (location === undefined) continue;
      acknowledgeNag(
        this.jobRole,
        `AwsSolutions-IAM5[Resource::${datasetObjectsArn(location)}]`,
        `Read-only (s3:GetObject) access to the dataset location ${arn} given at deploy time.`,
      );
    }
  }
}
