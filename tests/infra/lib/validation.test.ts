import { describe, expect, it } from 'vitest';
import {
  assertNoProblems,
  computeProblems,
  datasetLocationProblems,
  jobPolicyProblems,
  parseS3Arn,
} from '../../../infra/lib/validation.ts';

const job = { vcpus: 4, memoryMiB: 14_336, gpus: 1 };
const compute = { instanceTypes: ['g4dn.xlarge', 'g5.xlarge'], maxvCpus: 16, spotBidPercentage: 100, job };

describe('computeProblems', () => {
  it('accepts the defaults', () => {
    expect(computeProblems(compute)).toEqual([]);
  });

  it('rejects unknown or non-GPU instance types', () => {
    expect(computeProblems({ ...compute, instanceTypes: ['m5.large'] })).toEqual([
      'not known GPU instance types: m5.large (infra/lib/gpu-instances.ts)',
    ]);
    expect(computeProblems({ ...compute, instanceTypes: [] })).toContain(
      'at least one GPU instance type is needed',
    );
  });

  it('rejects a job that fits no instance once the agent takes its share of memory', () => {
    // 16 GiB × 0.9 = 14745.6 MiB: 15000 MiB does not fit an xlarge, does fit a 2xlarge.
    const big = { ...job, memoryMiB: 15_000 };
    expect(computeProblems({ ...compute, job: big })[0]).toMatch(
      /no instance type fits a job of 4 vCPUs, 15000 MiB/,
    );
    expect(computeProblems({ ...compute, instanceTypes: ['g4dn.2xlarge'], job: big })).toEqual([]);
    expect(computeProblems({ ...compute, job: { ...job, gpus: 2 } })[0]).toMatch(/no instance type fits/);
  });

  it('rejects a vCPU ceiling below one job or one instance, and a bad spot bid', () => {
    expect(computeProblems({ ...compute, instanceTypes: ['g4dn.2xlarge'], maxvCpus: 4 })).toEqual([
      'maxvCpus 4 cannot launch even the smallest instance (8 vCPUs)',
    ]);
    expect(computeProblems({ ...compute, maxvCpus: 2 })).toContain(
      'maxvCpus 2 is below the 4 vCPUs one job needs',
    );
    expect(computeProblems({ ...compute, spotBidPercentage: 0 })[0]).toMatch(/spotBidPercentage/);
  });
});

describe('jobPolicyProblems', () => {
  const policy = { runnableTimeoutMinutes: 60, attempts: 3, attemptTimeoutMinutes: 720, graceSeconds: 25 };

  it('accepts the defaults and the edges Batch allows', () => {
    expect(jobPolicyProblems(policy)).toEqual([]);
    expect(jobPolicyProblems({ ...policy, runnableTimeoutMinutes: 10, attempts: 10 })).toEqual([]);
    expect(jobPolicyProblems({ ...policy, runnableTimeoutMinutes: 1440, attempts: 1 })).toEqual([]);
  });

  it('rejects what Batch or the shutdown contract would not honour', () => {
    expect(jobPolicyProblems({ ...policy, runnableTimeoutMinutes: 9 })[0]).toMatch(/runnableTimeoutMinutes/);
    expect(jobPolicyProblems({ ...policy, runnableTimeoutMinutes: 1441 })[0]).toMatch(
      /runnableTimeoutMinutes/,
    );
    expect(jobPolicyProblems({ ...policy, attempts: 11 })[0]).toMatch(/attempts/);
    expect(jobPolicyProblems({ ...policy, attemptTimeoutMinutes: 0 })[0]).toMatch(/attemptTimeoutMinutes/);
    expect(jobPolicyProblems({ ...policy, graceSeconds: 30 })[0]).toMatch(/Batch kills 30 s after SIGTERM/);
  });
});

describe('parseS3Arn and datasetLocationProblems', () => {
  it('reads bucket and prefix, ignoring a trailing / or /*', () => {
    expect(parseS3Arn('arn:aws:s3:::my-data')).toEqual({ partition: 'aws', bucket: 'my-data', prefix: '' });
    expect(parseS3Arn('arn:aws:s3:::my-data/cifar/lt/*')).toEqual({
      partition: 'aws',
      bucket: 'my-data',
      prefix: 'cifar/lt',
    });
    expect(parseS3Arn('arn:aws-cn:s3:::b-cn/x/')).toEqual({
      partition: 'aws-cn',
      bucket: 'b-cn',
      prefix: 'x',
    });
  });

  it('rejects URIs, bucket names S3 refuses, other services and inner wildcards', () => {
    expect(
      datasetLocationProblems([
        'arn:aws:s3:::okay/x',
        'arn:aws:s3:::ok/x',
        's3://my-data/x',
        'arn:aws:s3:::my-data/*/x',
      ]),
    ).toEqual([
      'dataset location arn:aws:s3:::ok/x is not an S3 ARN like arn:aws:s3:::bucket/prefix',
      'dataset location s3://my-data/x is not an S3 ARN like arn:aws:s3:::bucket/prefix',
      'dataset location arn:aws:s3:::my-data/*/x is not an S3 ARN like arn:aws:s3:::bucket/prefix',
    ]);
    expect(parseS3Arn('arn:aws:sqs:::queue')).toBeUndefined();
  });
});

it('assertNoProblems lists every problem in one error', () => {
  expect(() => assertNoProblems('settings', ['a', 'b'])).toThrow('settings:\n  - a\n  - b');
  expect(() => assertNoProblems('settings', [])).not.toThrow();
});
