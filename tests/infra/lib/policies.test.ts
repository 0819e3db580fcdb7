import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { batchApiStatements, datasetReadStatements, datasetRoots } from '../../../infra/lib/policies.ts';

describe('datasetReadStatements', () => {
  it('lists under the prefix and reads its objects, nothing else', () => {
    const json = datasetReadStatements(['arn:aws:s3:::shared/cifar/']).map((statement) =>
      statement.toStatementJson(),
    );
    expect(json).toEqual([
      {
        Sid: 'ListDatasetLocation0',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::shared',
        Condition: { StringLike: { 's3:prefix': ['cifar', 'cifar/*'] } },
      },
      {
        Sid: 'ReadDatasetLocation0',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::shared/cifar/*',
      },
    ]);
  });

  it('grants a whole bucket without a prefix condition', () => {
    const [list, read] = datasetReadStatements(['arn:aws:s3:::whole']).map((statement) =>
      statement.toStatementJson(),
    );
    expect(list).not.toHaveProperty('Condition');
    expect(read).toMatchObject({ Resource: 'arn:aws:s3:::whole/*' });
  });

  it('refuses a location that is not an S3 ARN', () => {
    expect(() => datasetReadStatements(['s3://x/y'])).toThrow(/not an S3 ARN/);
  });
});

it('datasetRoots turns locations into s3:// roots for LDAM_DATA_ROOTS', () => {
  expect(datasetRoots(['arn:aws:s3:::aaa/p/q/*', 'arn:aws:s3:::bbb'])).toEqual([
    's3://aaa/p/q/',
    's3://bbb/',
  ]);
});

it('batchApiStatements scopes SubmitJob to the queue and definition, TerminateJob/TagResource to job ARNs', () => {
  const stack = new Stack(undefined, 'S', { env: { account: '123456789012', region: 'eu-west-1' } });
  const json = batchApiStatements(stack, {
    jobQueueArn: 'arn:aws:batch:eu-west-1:123456789012:job-queue/q',
    jobDefinitionArn: 'arn:aws:batch:eu-west-1:123456789012:job-definition/d:1',
  }).map((statement) => stack.resolve(statement.toStatementJson()) as { Action: unknown; Resource: unknown });
  expect(json.map((statement) => [statement.Action, statement.Resource])).toEqual([
    [
      'batch:SubmitJob',
      [
        'arn:aws:batch:eu-west-1:123456789012:job-queue/q',
        'arn:aws:batch:eu-west-1:123456789012:job-definition/d:1',
      ],
    ],
    [
      ['batch:TerminateJob', 'batch:TagResource'],
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':batch:eu-west-1:123456789012:job/*']] },
    ],
    [['batch:DescribeJobs', 'batch:ListJobs'], '*'],
  ]);
});
