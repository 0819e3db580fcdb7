// The one place errors become HTTP responses: `{ error: { code, message, …details } }`.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { SpecValidationError } from '../../trainer/spec/index.ts';
import { InvalidKeyError } from '../../trainer/store/keys.ts';
import { ApiError, ValidationFailed } from '../errors.ts';
import type { Logger } from './logger.ts';

function body(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, ...details } };
}

export function errorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const known =
      error instanceof SpecValidationError
        ? new ValidationFailed(error.issues)
        : error instanceof InvalidKeyError
          ? new ValidationFailed([{ path: '', rule: error.message }])
          : error;
    if (known instanceof ApiError)
      return c.json(body(known.code, known.message, known.details()), known.status);
    if (known instanceof HTTPException) {
      const status = known.status;
      return c.json(
        body(status === 413 ? 'payload_too_large' : 'http_error', known.message || 'request refused'),
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
