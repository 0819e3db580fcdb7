// cdk-nag (v3) findings are acknowledged through CDK's Validations, one finding at a time, each with
// its reason; these helpers spell finding ids the way the AwsSolutions pack reports them.
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
// Concrete: CDK's interfaces do not accept their own classes under exactOptionalPropertyTypes.
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

export const nagPackName = 'AwsSolutions';

/** Acknowledges one finding (e.g. `AwsSolutions-IAM5[Resource::*]`) on scope and everything below it. */
export function acknowledgeNag(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${nagPackName}::${finding}`, reason });
}

/** A wildcard over a bucket's objects as cdk-nag names it: `Resource::<LogicalId.Arn>/<suffix>`. */
export function bucketObjectsResource(bucket: Bucket, suffix: string): string {
  const resource = bucket.node.defaultChild as CfnElement;
  return `Resource::<${Stack.of(bucket).getLogicalId(resource)}.Arn>/${suffix}`;
}
