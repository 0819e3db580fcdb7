// The one place errors become HTTP responses: `{ error: { code, message, …details } }`.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { SpecValidationError } from '../../trainer/spec/index.ts';
import { InvalidKeyError } from '../../trainer/store/keys.ts';
import { StoreNotFoundError } from '../../trainer/store/store.ts';
import {
  ActiveJobLimitReached,
  BodyTooLarge,
  CostLimitExceeded,
  DomainError,
  Forbidden,
  IncompatibleStage1,
  InvalidInput,
  NotFound,
  StateConflict,
  Unauthenticated,
  UnsupportedMediaType,
} from '../errors.ts';
import type { Logger } from './logger.ts';

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

const statuses: readonly (readonly [DomainErrorClass, ContentfulStatusCode])[] = [
  [InvalidInput, 400],
  [Unauthenticated, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [StateConflict, 409],
  [BodyTooLarge, 413],
  [UnsupportedMediaType, 415],
  [CostLimitExceeded, 422],
  [IncompatibleStage1, 422],
  [ActiveJobLimitReached, 429],
];

/** The status of a domain error; a class missing from the table is a server bug (500). */
export function statusOf(error: DomainError): ContentfulStatusCode {
  return statuses.find(([type]) => error instanceof type)?.[1] ?? 500;
}

/** The trainer's own validation errors, read as the API's. */
function asDomainError(error: Error): Error {
  if (error instanceof SpecValidationError) return new InvalidInput(error.issues);
  if (error instanceof InvalidKeyError) return new InvalidInput([{ path: '', rule: error.message }]);
  // An object that was there when the request began is gone (a delete ran meanwhile): the thing
  // the request is about no longer exists.
  if (error instanceof StoreNotFoundError) return new NotFound('it was removed while this request ran');
  return error;
}

function body(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, ...details } };
}

export function errorHandler(logger: Logger) {
  return (thrown: Error, c: Context): Response => {
    const error = asDomainError(thrown);
    if (error instanceof DomainError)
      return c.json(body(error.code, error.message, error.details()), statusOf(error));
    if (error instanceof HTTPException) {
      const status = error.status;
      return c.json(
        body(status === 413 ? 'payload_too_large' : 'http_error', error.message || 'request refused'),
        status,
      );
    }
    logger.error('unhandled error', {
      method: c.req.method,
      path: c.req.path,
      error: String(error),
      stack: error.stack,
    });
    return c.json(body('internal', 'internal error; see the server log'), 500);
  };
}
