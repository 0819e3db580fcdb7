// The Lambda side's clock: the API function has no timer, so a second function (same bundle,
// `reconcileHandler` of functions/lambda.ts) advances jobs when AWS Batch reports a state change
// of the trainer queue's jobs, and every few minutes for the timeouts Batch does not see.
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { lambdaBundling, lambdaRuntime } from './lambda-bundling.ts';
import { acknowledgeNag } from './nag-acknowledgements.ts';

export type JobReconcilerProps = {
  /** The Lambda entry module (the API's), exporting `reconcileHandler`. */
  readonly entry: string;
  readonly projectRoot: string;
  /** The API function's environment and role: the same store, queue and permissions. */
  readonly environment: Readonly<Record<string, string>>;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The trainer queue whose jobs' state changes are reconciled. */
  readonly jobQueueArn: string;
  /**
   * How often every unfinished job is reconciled (queue and run timeouts).
   * @default Duration.minutes(5)
   */
  readonly every?: Duration;
};

export class JobReconciler extends Construct {
  readonly function: NodejsFunction;
  readonly stateChanges: Rule;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: JobReconcilerProps) {
    super(scope, id);
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'reconcileHandler',
      projectRoot: props.projectRoot,
      depsLockFilePath: `${props.projectRoot}package-lock.json`,
      ...lambdaRuntime,
      memorySize: 256,
      timeout: Duration.minutes(2),
      role: props.role,
      logGroup: props.logGroup,
      description: 'ldam-runner: reconciles jobs on AWS Batch state changes and on a schedule',
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: lambdaBundling(),
    });
    const target = new LambdaFunction(this.function, { retryAttempts: 2 });
    this.stateChanges = new Rule(this, 'BatchStateChanges', {
      description: 'ldam-runner: reconcile a job when its AWS Batch job changes state',
      eventPattern: {
        source: ['aws.batch'],
        detailType: ['Batch Job State Change'],
        detail: { jobQueue: [props.jobQueueArn] },
      },
      targets: [target],
    });
    this.schedule = new Rule(this, 'Schedule', {
      description: 'ldam-runner: reconcile every unfinished job (queue and run timeouts)',
      schedule: Schedule.rate(props.every ?? Duration.minutes(5)),
      targets: [target],
    });
    acknowledgeNag(
      this.function,
      'AwsSolutions-L1',
      'Node 22 on purpose: the same major as the API function and the trainer image.',
    );
  }
}
