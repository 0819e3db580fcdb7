import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  classifyS3Error,
  isNotFound,
  isPreconditionFailed,
  isTransient,
} from '../../../trainer/store/s3-errors.ts';
import { StorePermanentError } from '../../../trainer/store/store.ts';

const sdkError = (name: string, status: number): S3ServiceException =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

const systemError = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });

describe('S3 error classification', () => {
  it.each([
    ['InternalError', 500],
    ['ServiceUnavailable', 503],
    ['SlowDown', 503],
    ['TooManyRequests', 429],
    ['ConditionalRequestConflict', 409],
  ])('retries %s (HTTP %i)', (name, status) => {
    expect(isTransient(sdkError(name, status))).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])('retries network error %s', (code) => {
    expect(isTransient(systemError(code))).toBe(true);
  });

  it.each([
    ['AccessDenied', 403],
    ['InvalidBucketName', 400],
    ['BucketAlreadyExists', 409],
  ])('calls %s (HTTP %i) permanent, with the key and reason', (name, status) => {
    const verdict = classifyS3Error('runs/a/b')(sdkError(name, status));
    expect(verdict.retry).toBe(false);
    const error = verdict.retry ? undefined : verdict.error;
    expect(error).toBeInstanceOf(StorePermanentError);
    expect((error as StorePermanentError).key).toBe('runs/a/b');
    expect((error as Error).message).toContain(name);
  });

  it('names the bucket and endpoint in the reason of a transient error', () => {
    const verdict = classifyS3Error(
      'runs/a/b',
      's3://b/ at http://127.0.0.1:9000',
    )(systemError('ECONNREFUSED'));
    expect(verdict).toMatchObject({
      retry: true,
      reason: expect.stringMatching(/\(s3:\/\/b\/ at http:\/\/127\.0\.0\.1:9000\)$/),
    });
  });

  it('tells a missing key from a missing bucket', () => {
    expect(isNotFound(sdkError('NoSuchKey', 404))).toBe(true);
    expect(isNotFound(sdkError('NotFound', 404))).toBe(true);
    expect(isNotFound(sdkError('NoSuchBucket', 404))).toBe(false);
  });

  it('recognises a failed precondition', () => {
    expect(isPreconditionFailed(sdkError('PreconditionFailed', 412))).toBe(true);
    expect(isPreconditionFailed(sdkError('AccessDenied', 403))).toBe(false);
  });

  it('does not retry programming errors', () => {
    expect(isTransient(new TypeError('x is not a function'))).toBe(false);
  });
});
