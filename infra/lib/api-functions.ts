// The Hono API (functions/lambda.ts) as two Lambda functions from one esbuild bundle: the streaming
// handler behind a RESPONSE_STREAM Function URL (SSE event streams), and a buffered handler for the
// HTTP API, whose Lambda integration cannot pass a response stream through.
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type FunctionUrl,
  FunctionUrlAuthType,
  InvokeMode,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
// Concrete: CDK's interfaces do not accept their own classes under exactOptionalPropertyTypes.
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag, bucketObjectsResource } from './nag-acknowledgements.ts';
import { artifactAccessStatements, type BatchApiTargets, batchApiStatements } from './policies.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export type ApiFunctionsProps = {
  /** Environment of both functions (ApiEnv and TrainerEnv names). */
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
   * Export wrapped with hono/aws-lambda `streamHandle`.
   * @default 'handler'
   */
  readonly streamingHandler?: string;
  /**
   * Export wrapped with hono/aws-lambda `handle` (buffered), for the HTTP API.
   * @default 'bufferedHandler'
   */
  readonly bufferedHandler?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Longest an SSE stream stays open before the client reconnects (a Function URL allows 15 min).
   * @default Duration.minutes(15)
   */
  readonly streamTimeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
};

export class ApiFunctions extends Construct {
  readonly streamFunction: NodejsFunction;
  readonly bufferedFunction: NodejsFunction;
  readonly streamUrl: FunctionUrl;
  /** Shared by both functions, so grants are made once. */
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionsProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
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

    const common: NodejsFunctionProps = {
      entry: props.entry ?? `${repositoryRoot}functions/lambda.ts`,
      projectRoot: repositoryRoot,
      depsLockFilePath: `${repositoryRoot}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // The pinned SDK from the lock file, not whichever the runtime carries this month.
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        // Native or optional training backends: never used by the API, not installable in Lambda.
        externalModules: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 's3rver'],
        // CommonJS dependencies call require(); an ESM bundle has to provide it.
        banner:
          "import { createRequire as __ldamCreateRequire } from 'node:module'; const require = __ldamCreateRequire(import.meta.url);",
      },
    };
    this.streamFunction = new NodejsFunction(this, 'Stream', {
      ...common,
      handler: props.streamingHandler ?? 'handler',
      timeout: props.streamTimeout ?? Duration.minutes(15),
      description: 'ldam-runner API, response streaming (Function URL, SSE)',
    });
    this.bufferedFunction = new NodejsFunction(this, 'Buffered', {
      ...common,
      handler: props.bufferedHandler ?? 'bufferedHandler',
      // The HTTP API gives up after 30 s.
      timeout: Duration.seconds(29),
      description: 'ldam-runner API, buffered (HTTP API)',
    });
    this.streamUrl = this.streamFunction.addFunctionUrl({
      // Callers authenticate with the API's bearer keys; IAM auth would need SigV4, which EventSource clients cannot send.
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });
    for (const fn of [this.streamFunction, this.bufferedFunction]) {
      acknowledgeNag(
        fn,
        'AwsSolutions-L1',
        'Node 22 on purpose: the same major as the trainer image (Dockerfile.gpu), and the newest the ' +
          "project's toolchain (Node >= 20) is tested against; move both together.",
      );
    }
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
      'batch:TerminateJob: a job ARN names neither queue nor definition, so jobs of this account and region is the tightest scope.',
    );
    acknowledgeNag(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'batch:DescribeJobs and batch:ListJobs support no resource-level permissions.',
    );
  }
}
