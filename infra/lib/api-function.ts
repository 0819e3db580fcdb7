// The Hono API (functions/lambda.ts, `handler` = hono/aws-lambda `streamHandle`) as one Lambda
// function behind a RESPONSE_STREAM Function URL, so SSE event streams reach clients as they happen.
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type FunctionUrl, FunctionUrlAuthType, HttpMethod, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
// Concrete: CDK's interfaces do not accept their own classes under exactOptionalPropertyTypes.
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { dashboardBundlingHooks } from './dashboard-bundling.ts';
import { infraDefaults } from './defaults.ts';
import { lambdaBundling, lambdaExternalModules, lambdaRuntime } from './lambda-bundling.ts';
import { acknowledgeNag, bucketObjectsResource } from './nag-acknowledgements.ts';
import { artifactAccessStatements, type BatchApiTargets, batchApiStatements } from './policies.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export type ApiFunctionProps = {
  /** Environment of the function (ApiEnv and TrainerEnv names). */
  readonly environment: Readonly<Record<string, string>>;
  /** The artifact bucket: the API reads and writes any key in it. */
  readonly bucket: Bucket;
  /** The Batch queue and job definition the API submits to. */
  readonly batch: BatchApiTargets;
  /**
   * The Lambda entry module.
   * @default <repository>/functions/lambda.ts
   */
  readonly entry?: string;
  /**
   * Its export wrapped with hono/aws-lambda `streamHandle`.
   * @default 'handler'
   */
  readonly handler?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Longest an SSE stream stays open before the client reconnects (a Function URL allows 15 min).
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
};

export class ApiFunction extends Construct {
  readonly function: NodejsFunction;
  readonly url: FunctionUrl;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? infraDefaults.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'ldam-runner API: its bucket, its Batch queue and job definition',
    });
    this.logGroup.grantWrite(this.role);
    for (const statement of [
      ...artifactAccessStatements(props.bucket, 'api'),
      ...batchApiStatements(this, props.batch),
    ]) {
      this.role.addToPrincipalPolicy(statement);
    }
    this.acknowledgeRoleWildcards(props.bucket);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry ?? `${repositoryRoot}functions/lambda.ts`,
      handler: props.handler ?? 'handler',
      projectRoot: repositoryRoot,
      depsLockFilePath: `${repositoryRoot}package-lock.json`,
      ...lambdaRuntime,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(15),
      role: this.role,
      logGroup: this.logGroup,
      description: 'ldam-runner API (Hono, response streaming)',
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: lambdaBundling({
        // esbuild only builds the dashboard when no bundled copy sits beside the handler.
        externalModules: [...lambdaExternalModules, 'esbuild'],
        commandHooks: dashboardBundlingHooks(repositoryRoot),
      }),
    });
    this.url = this.function.addFunctionUrl({
      // Callers authenticate with the API's bearer keys; IAM auth would need SigV4, which EventSource clients cannot send.
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.RESPONSE_STREAM,
      // Only event streams are served here (functions/http/gateway-guard.ts); the dashboard, served
      // through the HTTP API's origin, streams from this one with its key in a header (no cookies).
      cors: {
        allowedOrigins: ['*'],
        allowedMethods: [HttpMethod.GET],
        allowedHeaders: ['authorization', 'last-event-id', 'accept', 'cache-control'],
        maxAge: Duration.hours(1),
      },
    });
    acknowledgeNag(
      this.function,
      'AwsSolutions-L1',
      'Node 22 on purpose: the same major as the trainer image (Dockerfile.gpu), and the newest the ' +
        "project's toolchain (Node >= 20) is tested against; move both together.",
    );
  }

  private acknowledgeRoleWildcards(bucket: Bucket): void {
    acknowledgeNag(
      this.role,
      `AwsSolutions-IAM5[${bucketObjectsResource(bucket, '*')}]`,
      'The API reads and writes job specs, cancel intents and results under generated keys, in this bucket only.',
    );
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:batch:<AWS::Region>:<AWS::AccountId>:job/*]',
      'batch:TerminateJob and batch:TagResource (SubmitJob tags the job it creates): a job ARN names ' +
        'neither queue nor definition, so jobs of this account and region is the tightest scope.',
    );
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'batch:DescribeJobs and batch:ListJobs support no resource-level permissions.',
    );
  }
}
