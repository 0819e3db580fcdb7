// The bucket every job's spec, events, checkpoints, models and reports live in (runs/<jobId>/),
// and datasets uploaded with `ldam datasets upload` (datasets/<name>/).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag } from './nag-acknowledgements.ts';

export type ArtifactBucketProps = {
  /**
   * What happens to the bucket when the stack is deleted.
   * @default RemovalPolicy.RETAIN: results outlive the stack; empty and delete it by hand (docs/DEPLOY.md)
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days an overwritten checkpoint (a noncurrent version under runs/) is kept.
   * @default 3
   */
  readonly overwrittenCheckpointDays?: number;
  /**
   * Days any other noncurrent version (overwritten or deleted object) is kept.
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Days before the parts of an unfinished multipart upload (a killed trainer's) are removed.
   * @default 2
   */
  readonly incompleteUploadDays?: number;
};

/** Private, encrypted, TLS-only, versioned; lifecycle rules keep overwritten checkpoints from piling up. */
export class ArtifactBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          // Trainers rewrite their checkpoint every epoch: only the newest matters after a resume.
          id: 'ExpireOverwrittenCheckpoints',
          prefix: 'runs/',
          noncurrentVersionExpiration: Duration.days(props.overwrittenCheckpointDays ?? 3),
        },
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 30),
          abortIncompleteMultipartUploadAfter: Duration.days(props.incompleteUploadDays ?? 2),
        },
        { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
    });
    acknowledgeNag(
      this.bucket,
      'AwsSolutions-S1',
      'Only the API and trainer roles of this stack can reach the bucket; object-level audit, when ' +
        'wanted, is CloudTrail data events, not a second bucket of access logs per checkpoint write.',
    );
  }
}
