import { describe, expect, it } from 'vitest';
import {
  isS3SourceAllowed,
  parseS3Source,
  sourcePolicyFromEnv,
} from '../../../trainer/data/source-policy.ts';

describe('sourcePolicyFromEnv', () => {
  it('defaults to Debian datasets and <data dir>/datasets', () => {
    const policy = sourcePolicyFromEnv({}, '/srv/app');
    expect(policy.dataDir).toBe('/srv/app/.data');
    expect(policy.localRoots).toEqual(['/usr/share/datasets', '/srv/app/.data/datasets']);
    expect(policy.s3Roots).toEqual([]);
    expect(policy.projectBucket).toBe('ldam-runner');
    expect(policy.fashionMnistDir).toBe('/usr/share/datasets/fashion-mnist');
  });

  it('splits LDAM_DATA_ROOTS on colons without breaking s3:// entries', () => {
    const policy = sourcePolicyFromEnv(
      {
        LDAM_DATA_ROOTS: '/data:s3://shared-sets/imgs:rel/dir::s3://other-bucket',
        LDAM_DATA_DIR: '/var/ldam',
      },
      '/srv/app',
    );
    expect(policy.localRoots).toEqual(['/data', '/srv/app/rel/dir']);
    expect(policy.s3Roots).toEqual(['s3://shared-sets/imgs/', 's3://other-bucket/']);
    expect(policy.dataDir).toBe('/var/ldam');
  });

  it('reads allowed URL hosts, the bucket and the Fashion-MNIST directory', () => {
    const policy = sourcePolicyFromEnv(
      {
        LDAM_DATA_URL_ALLOW: ' Data.Example.org ,mirror.test',
        S3_BUCKET: 'my-bucket',
        LDAM_FASHION_MNIST_DIR: '/x/fm',
      },
      '/',
    );
    expect(policy.urlHosts).toEqual(['data.example.org', 'mirror.test']);
    expect(policy.projectBucket).toBe('my-bucket');
    expect(policy.fashionMnistDir).toBe('/x/fm');
  });
});

describe('s3 sources', () => {
  const policy = sourcePolicyFromEnv(
    { LDAM_DATA_ROOTS: '/data:s3://shared-sets/imgs', S3_BUCKET: 'proj-bucket' },
    '/',
  );

  it('parses bucket and prefix, rejecting dot segments and bad bucket names', () => {
    expect(parseS3Source('s3://proj-bucket/datasets/cifar')).toEqual({
      bucket: 'proj-bucket',
      prefix: 'datasets/cifar/',
    });
    expect(parseS3Source('s3://proj-bucket')).toEqual({ bucket: 'proj-bucket', prefix: '' });
    expect(parseS3Source('s3://proj-bucket/datasets/../secrets')).toBeUndefined();
    expect(parseS3Source('s3://proj-bucket/a//b')).toBeUndefined();
    expect(parseS3Source('s3://b1/x')).toBeUndefined();
  });

  const allowed = (source: string) => {
    const location = parseS3Source(source);
    return location !== undefined && isS3SourceAllowed(location, policy);
  };

  it("allows the project bucket's datasets/ prefix and s3 roots, nothing else", () => {
    expect(allowed('s3://proj-bucket/datasets/cifar10')).toBe(true);
    expect(allowed('s3://shared-sets/imgs')).toBe(true);
    expect(allowed('s3://shared-sets/imgs/sub')).toBe(true);
    expect(allowed('s3://shared-sets/imgs-other')).toBe(false);
    expect(allowed('s3://proj-bucket/jobs/123')).toBe(false);
    expect(allowed('s3://proj-bucket')).toBe(false);
    expect(allowed('s3://someone-else/datasets/x')).toBe(false);
  });
});
