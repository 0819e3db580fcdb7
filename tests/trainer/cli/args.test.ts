import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../../trainer/cli/args.ts';
import { parseCheckpointLocation } from '../../../trainer/cli/checkpoint-location.ts';

describe('parseOptions', () => {
  it('reads --name value and --name=value', () => {
    expect(parseOptions(['--spec', 'a.json', '--out=/tmp/o'], ['spec', 'job', 'out'])).toEqual({
      spec: 'a.json',
      out: '/tmp/o',
    });
  });

  it.each([
    [['--nope', 'x'], /unknown option '--nope'/],
    [['--spec'], /needs a value/],
    [['--spec', 'a', '--spec', 'b'], /given twice/],
    [['stray'], /unexpected argument/],
  ])('rejects %j', (args, message) => {
    expect(() => parseOptions(args, ['spec'])).toThrow(UsageError);
    expect(() => parseOptions(args, ['spec'])).toThrow(message);
  });
});

describe('parseCheckpointLocation', () => {
  it.each([
    ['/tmp/o/runs/j-1', { kind: 'job', storeRoot: '/tmp/o', jobId: 'j-1' }],
    ['/tmp/o/runs/j-1/checkpoints/', { kind: 'job', storeRoot: '/tmp/o', jobId: 'j-1' }],
    [
      '/tmp/o/runs/j-1/checkpoints/epoch-0005',
      { kind: 'job', storeRoot: '/tmp/o', jobId: 'j-1', epochDir: 'epoch-0005' },
    ],
    ['s3://bucket/prefix/runs/j-2', { kind: 'job', storeRoot: 's3://bucket/prefix', jobId: 'j-2' }],
    ['runs/j-3', { kind: 'job', storeRoot: '.', jobId: 'j-3' }],
    ['/models/exported/', { kind: 'model-dir', storeRoot: '/models/exported' }],
  ])('%s', (location, expected) => {
    expect(parseCheckpointLocation(location)).toEqual(expected);
  });
});
