// Least-privilege IAM statements the API and the trainer need beyond their bucket grants.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
// Concrete: CDK's interfaces do not accept their own classes under exactOptionalPropertyTypes.
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { parseS3Arn, type S3Location } from './validation.ts';

/** Key prefix of everything one job writes (trainer/store/keys.ts: runs/<jobId>/). */
export const runsPrefix = 'runs/';

/**
 * Explicit object actions instead of `grantReadWrite`'s wildcards (s3:GetObject*, s3:Abort*, ...).
 * 'api' reads and writes any key; 'trainer' reads any key but writes under runs/ only.
 */
export function artifactAccessStatements(bucket: Bucket, who: 'api' | 'trainer'): PolicyStatement[] {
  const writable = who === 'api' ? bucket.arnForObjects('*') : bucket.arnForObjects(`${runsPrefix}*`);
  return [
    new PolicyStatement({
      sid: 'ListArtifactBucket',
      effect: Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
    }),
    new PolicyStatement({
      sid: 'ReadArtifacts',
      effect: Effect.ALLOW,
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
    }),
    new PolicyStatement({
      sid: who === 'api' ? 'WriteArtifacts' : 'WriteRunArtifactsOnly',
      effect: Effect.ALLOW,
      actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: [writable],
    }),
  ];
}

export type BatchApiTargets = {
  readonly jobQueueArn: string;
  readonly jobDefinitionArn: string;
};

/**
 * What the API's aws-batch runner calls: submit to its queue with its definition (submitted by
 * ARN, so the exact revision is the resource) with tags, terminate and read back jobs.
 */
export function batchApiStatements(scope: IConstruct, targets: BatchApiTargets): PolicyStatement[] {
  const jobsOfThisAccount = Stack.of(scope).formatArn({
    service: 'batch',
    resource: 'job',
    resourceName: '*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
  return [
    new PolicyStatement({
      sid: 'SubmitToTrainerQueueOnly',
      effect: Effect.ALLOW,
      actions: ['batch:SubmitJob'],
      resources: [targets.jobQueueArn, targets.jobDefinitionArn],
    }),
    new PolicyStatement({
      // A job ARN names neither queue nor definition, so this account's jobs is the tightest scope;
      // TagResource because SubmitJob tags each job (ldam:job, ldam:attempt) as it creates it.
      sid: 'TerminateAndTagJobsJobArnsCarryNoQueue',
      effect: Effect.ALLOW,
      actions: ['batch:TerminateJob', 'batch:TagResource'],
      resources: [jobsOfThisAccount],
    }),
    new PolicyStatement({
      // AWS Batch supports no resource-level permissions for DescribeJobs/ListJobs: '*' is the only form.
      sid: 'ReadJobsNoResourceLevelPermissions',
      effect: Effect.ALLOW,
      actions: ['batch:DescribeJobs', 'batch:ListJobs'],
      resources: ['*'],
    }),
  ];
}

/** Read-only access to dataset locations (bucket or prefix ARNs): list under the prefix, get objects. */
export function datasetReadStatements(arns: readonly string[]): PolicyStatement[] {
  return arns.flatMap((arn, index) => {
    const location = parseS3Arn(arn);
    if (location === undefined) throw new Error(`not an S3 ARN: ${arn}`);
    const bucketArn = `arn:${location.partition}:s3:::${location.bucket}`;
    const objects = datasetObjectsArn(location);
    const list = new PolicyStatement({
      sid: `ListDatasetLocation${index}`,
      effect: Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
    });
    if (location.prefix !== '') {
      list.addCondition('StringLike', { 's3:prefix': [location.prefix, `${location.prefix}/*`] });
    }
    return [
      list,
      new PolicyStatement({
        sid: `ReadDatasetLocation${index}`,
        effect: Effect.ALLOW,
        actions: ['s3:GetObject'],
        resources: [objects],
      }),
    ];
  });
}

/** The objects of one dataset location: `arn:aws:s3:::bucket/prefix/*`. */
export function datasetObjectsArn(location: S3Location): string {
  const prefix = location.prefix === '' ? '' : `/${location.prefix}`;
  return `arn:${location.partition}:s3:::${location.bucket}${prefix}/*`;
}

/** `s3://bucket/prefix/` roots for LDAM_DATA_ROOTS, in the order given. */
export function datasetRoots(arns: readonly string[]): string[] {
  return arns.flatMap((arn) => {
    const location = parseS3Arn(arn);
    if (location === undefined) return [];
    return [
      location.prefix === '' ? `s3://${location.bucket}/` : `s3://${location.bucket}/${location.prefix}/`,
    ];
  });
}
