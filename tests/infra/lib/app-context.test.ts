import { describe, expect, it } from 'vitest';
import { appSettingsFromContext } from '../../../infra/lib/app-context.ts';

const from = (context: Record<string, unknown>) => appSettingsFromContext((key) => context[key]);

describe('appSettingsFromContext', () => {
  it('keeps every default when no context is given', () => {
    expect(from({})).toEqual({ stackName: 'LdamRunner', props: {} });
  });

  it('reads `-c key=value` strings, lists as comma-separated or JSON arrays', () => {
    expect(
      from({
        stackName: 'Lab',
        trainerImage: 'asset',
        datasetArns: 'arn:aws:s3:::a/x, arn:aws:s3:::b',
        gpuInstanceTypes: ['g5.xlarge'],
        maxvCpus: '32',
        runnableTimeoutMinutes: 30,
        apiKeyOwner: 'lab',
      }),
    ).toEqual({
      stackName: 'Lab',
      props: {
        trainerImage: 'asset',
        datasetArns: ['arn:aws:s3:::a/x', 'arn:aws:s3:::b'],
        gpuInstanceTypes: ['g5.xlarge'],
        maxvCpus: 32,
        runnableTimeoutMinutes: 30,
        apiKeyOwner: 'lab',
      },
    });
  });

  it('names the key of a malformed value', () => {
    expect(() => from({ trainerImage: 'docker' })).toThrow(/trainerImage must be 'asset' or 'repository'/);
    expect(() => from({ maxvCpus: '4.5' })).toThrow(/maxvCpus must be an integer/);
    expect(() => from({ datasetArns: 42 })).toThrow(/datasetArns must be a list/);
  });
});
