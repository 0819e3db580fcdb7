// Maps S3 SDK and network errors to the Store port's meaning: absent, precondition failed,
// transient (retry until the deadline) or permanent (StorePermanentError with the reason).

import type { Classified } from './retry.ts';
import { StoreNotFoundError, StorePermanentError } from './store.ts';

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: unknown;
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

const transientNames = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalError',
  'ConditionalRequestConflict',
]);

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

export function httpStatusOf(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export function errorName(error: unknown): string {
  const { name, code } = shape(error);
  if (typeof code === 'string' && code !== '') return code;
  return typeof name === 'string' ? name : 'Error';
}

function describe(error: unknown): string {
  const { message } = shape(error);
  const status = httpStatusOf(error);
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  return `${errorName(error)}${status === undefined ? '' : ` (HTTP ${status})`}: ${text}`;
}

/** 404 for the object itself; a missing bucket is a configuration error, not an absent key. */
export function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'NoSuchBucket') return false;
  return httpStatusOf(error) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

export function isPreconditionFailed(error: unknown): boolean {
  return httpStatusOf(error) === 412 || errorName(error) === 'PreconditionFailed';
}

export function isTransient(error: unknown): boolean {
  const status = httpStatusOf(error);
  const name = errorName(error);
  if (status !== undefined) {
    // 409 ConditionalRequestConflict: AWS asks to retry a conditional write that raced another.
    return status >= 500 || status === 429 || (status === 409 && name === 'ConditionalRequestConflict');
  }
  if (networkCodes.has(name) || transientNames.has(name)) return true;
  const { code, $retryable } = shape(error);
  if ($retryable !== undefined && $retryable !== null) return true;
  // System errors (E…) without an HTTP response are connection-level failures.
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/**
 * Retry transient errors; Store errors pass through; anything else becomes StorePermanentError.
 * `server` (bucket and endpoint) is named in the reason a caller sees once retries run out.
 */
export function classifyS3Error(key: string, server?: string): (error: unknown) => Classified {
  return (error) => {
    if (isTransient(error))
      return {
        retry: true,
        reason: server === undefined ? describe(error) : `${describe(error)} (${server})`,
      };
    if (error instanceof StorePermanentError || error instanceof StoreNotFoundError)
      return { retry: false, error };
    return { retry: false, error: new StorePermanentError(key, describe(error), { cause: error }) };
  };
}
