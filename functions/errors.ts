// The API's typed errors. Each carries its HTTP status and a stable code; `onError` (http/on-error.ts)
// is the one place that turns them into responses, so routes never pick status codes themselves.

export interface FieldIssue {
  readonly path: string;
  readonly rule: string;
}

export abstract class ApiError extends Error {
  abstract readonly status: 400 | 401 | 404 | 409 | 413 | 422 | 429 | 500 | 503;
  abstract readonly code: string;
  /** Extra fields of the error body (issues, estimate, limit, …). */
  details(): Record<string, unknown> {
    return {};
  }
}

export class ValidationFailed extends ApiError {
  readonly status = 400;
  readonly code = 'validation_failed';
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[]) {
    super(`invalid request: ${issues.map((i) => `${i.path || '(root)'}: ${i.rule}`).join('; ')}`);
    this.name = 'ValidationFailed';
    this.issues = issues;
  }
  override details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

export class Unauthorized extends ApiError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor(message = 'missing or invalid API key (send Authorization: Bearer <token>)') {
    super(message);
    this.name = 'Unauthorized';
  }
}

export class NotFound extends ApiError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}

export class Conflict extends ApiError {
  readonly status = 409;
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'Conflict';
  }
}

export class PayloadTooLarge extends ApiError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body over ${limitBytes} bytes`);
    this.name = 'PayloadTooLarge';
    this.limitBytes = limitBytes;
  }
  override details(): Record<string, unknown> {
    return { limitBytes: this.limitBytes };
  }
}

export class CostLimitExceeded extends ApiError {
  readonly status = 422;
  readonly code = 'cost_limit_exceeded';
  readonly estimateSeconds: number;
  readonly limitSeconds: number;
  readonly basis: Record<string, unknown>;
  constructor(estimateSeconds: number, limitSeconds: number, basis: Record<string, unknown>) {
    super(
      `estimated run time ${Math.round(estimateSeconds)} s exceeds this runner's limit of ${limitSeconds} s (LDAM_MAX_ESTIMATED_SECONDS)`,
    );
    this.name = 'CostLimitExceeded';
    this.estimateSeconds = estimateSeconds;
    this.limitSeconds = limitSeconds;
    this.basis = basis;
  }
  override details(): Record<string, unknown> {
    return {
      estimateSeconds: Math.round(this.estimateSeconds),
      limitSeconds: this.limitSeconds,
      estimate: this.basis,
    };
  }
}

export class TooManyJobs extends ApiError {
  readonly status = 429;
  readonly code = 'too_many_jobs';
  readonly limit: number;
  constructor(limit: number) {
    super(`this key already has ${limit} active jobs (LDAM_MAX_ACTIVE_JOBS_PER_KEY); wait for one to finish`);
    this.name = 'TooManyJobs';
    this.limit = limit;
  }
  override details(): Record<string, unknown> {
    return { limit: this.limit };
  }
}

export class ServiceUnavailable extends ApiError {
  readonly status = 503;
  readonly code = 'unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'ServiceUnavailable';
  }
}

/** The server's own configuration is unusable (bad env values, no keys on a public address). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
