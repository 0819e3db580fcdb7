// The queue the API submits training jobs to. A job nothing can run (no capacity for too long, or a
// request no instance type satisfies) is cancelled instead of waiting RUNNABLE, and billing nobody, forever.
import { Duration } from 'aws-cdk-lib';
import {
  JobQueue,
  JobStateTimeLimitActionsAction,
  JobStateTimeLimitActionsReason,
  JobStateTimeLimitActionsState,
  type OrderedComputeEnvironment,
} from 'aws-cdk-lib/aws-batch';
import { Construct } from 'constructs';
import { infraDefaults } from './defaults.ts';

export type TrainerJobQueueProps = {
  /** Compute environments in the order to try them (spot, then on-demand). */
  readonly computeEnvironments: OrderedComputeEnvironment[];
  /**
   * Minutes a job may wait RUNNABLE at the head of the queue for capacity before it is cancelled.
   * @default 60
   */
  readonly runnableTimeoutMinutes?: number;
};

/** Batch's minimum wait before acting: for misconfiguration, waiting longer changes nothing. */
const misconfigurationTimeout = Duration.minutes(10);

export class TrainerJobQueue extends Construct {
  readonly queue: JobQueue;

  constructor(scope: Construct, id: string, props: TrainerJobQueueProps) {
    super(scope, id);
    const capacityTimeout = Duration.minutes(
      props.runnableTimeoutMinutes ?? infraDefaults.runnableTimeoutMinutes,
    );
    const cancelWhenRunnable = (reason: JobStateTimeLimitActionsReason, maxTime: Duration) => ({
      action: JobStateTimeLimitActionsAction.CANCEL,
      state: JobStateTimeLimitActionsState.RUNNABLE,
      reason,
      maxTime,
    });
    this.queue = new JobQueue(this, 'Queue', {
      computeEnvironments: props.computeEnvironments,
      priority: 1,
      jobStateTimeLimitActions: [
        cancelWhenRunnable(JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY, capacityTimeout),
        cancelWhenRunnable(
          JobStateTimeLimitActionsReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE,
          misconfigurationTimeout,
        ),
        cancelWhenRunnable(JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT, misconfigurationTimeout),
      ],
    });
  }
}
