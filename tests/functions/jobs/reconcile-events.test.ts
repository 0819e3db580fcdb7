import { describe, expect, it } from 'vitest';
import { reconcileTargetOf } from '../../../functions/jobs/reconcile-events.ts';

// The envelope EventBridge delivers (its documented "Batch Job State Change" shape; detail is the
// DescribeJobs record). Ids are made up.
const stateChange = (detail: Record<string, unknown>) => ({
  version: '0',
  id: 'c8f9c4b5-76e5-d76a-f980-7011e206042b',
  'detail-type': 'Batch Job State Change',
  source: 'aws.batch',
  account: '123456789012',
  time: '2026-12-01T20:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:batch:us-east-1:123456789012:job/4c7599ae-0a82-49aa-ba5a-4727fcce14a8'],
  detail: {
    jobName: 'ldam-j-abc-attempt-1',
    jobId: '4c7599ae-0a82-49aa-ba5a-4727fcce14a8',
    jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/LdamRunner-Jobs',
    status: 'FAILED',
    statusReason: 'Job attempt duration exceeded timeout',
    ...detail,
  },
});

describe('reconcileTargetOf (EventBridge events)', () => {
  it('names the job of a Batch state change by its jobId parameter, else its ldam:job tag', () => {
    expect(reconcileTargetOf(stateChange({ parameters: { jobId: 'j-abc' } }))).toEqual({
      kind: 'jobs',
      jobIds: ['j-abc'],
    });
    expect(reconcileTargetOf(stateChange({ tags: { 'ldam:job': 'j-def' } }))).toEqual({
      kind: 'jobs',
      jobIds: ['j-def'],
    });
  });

  it('reconciles every unfinished job on the schedule', () => {
    expect(reconcileTargetOf({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} })).toEqual(
      { kind: 'unfinished' },
    );
  });

  it('ignores events that are not ours', () => {
    expect(reconcileTargetOf(stateChange({}))).toBeUndefined();
    expect(
      reconcileTargetOf({ source: 'aws.ec2', 'detail-type': 'EC2 Spot Instance Interruption Warning' }),
    ).toBeUndefined();
    expect(reconcileTargetOf(undefined)).toBeUndefined();
  });
});
