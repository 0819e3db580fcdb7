// The API's domain errors: what went wrong, in the core's words. They carry a stable `code` and
// the fields a caller needs, never an HTTP status; `errorHandler` (http/on-error.ts) is the one
// place that maps them (and the trainer's spec and key errors) to responses.

export interface FieldIssue {
  readonly path: string;
  readonly rule: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** Extra fields of the error body (issues, estimate, limit, …). */
  details(): Record<string, unknown> {
    return {};
  }
}

/** A stage-2 spec does not fit the job it starts from (other dataset, model or head). */
export class IncompatibleStage1 extends DomainError {
  readonly code = 'incompatible_stage1';
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[]) {
    super(`stage2 cannot start from this job: ${issues.map((i) => `${i.path}: ${i.rule}`).join('; ')}`);
    this.name = 'IncompatibleStage1';
    this.issues = issues;
  }
  override details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

/** The request (spec, query, cursor, benchmark) broke a rule; carries every failing field. */
export class InvalidInput extends DomainError {
  readonly code = 'validation_failed';
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[], message?: string) {
    super(message ?? `invalid request: ${issues.map((i) => `${i.path || '(root)'}: ${i.rule}`).join('; ')}`);
    this.name = 'InvalidInput';
    this.issues = issues;
  }
  override details(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

/** The caller presented no key, or one that matches no configured key. */
export class Unauthenticated extends DomainError {
  readonly code = 'unauthorized';
  constructor(message = 'missing or invalid API key (send Authorization: Bearer <token>)') {
    super(message);
    this.name = 'Unauthenticated';
  }
}

/** No such job, report, benchmark or route (for this owner). */
export class NotFound extends DomainError {
  readonly code = 'not_found';
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}

/** The thing exists but its state forbids the request (cancel an ended job, reuse a key, …). */
export class StateConflict extends DomainError {
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'StateConflict';
  }
}

/** A key-less server refusing a request from elsewhere (another Host or Origin). */
export class Forbidden extends DomainError {
  readonly code = 'forbidden';
  constructor(message: string) {
    super(message);
    this.name = 'Forbidden';
  }
}

export class UnsupportedMediaType extends DomainError {
  readonly code = 'unsupported_media_type';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaType';
  }
}

export class BodyTooLarge extends DomainError {
  readonly code = 'payload_too_large';
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body over ${limitBytes} bytes`);
    this.name = 'BodyTooLarge';
    this.limitBytes = limitBytes;
  }
  override details(): Record<string, unknown> {
    return { limitBytes: this.limitBytes };
  }
}

/** The cost guard: the run's estimated time is over the runner's limit. Never admitted. */
export class CostLimitExceeded extends DomainError {
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

/** The owner is at the active-job limit; admitted later, once one of their jobs ends. */
export class ActiveJobLimitReached extends DomainError {
  readonly code = 'too_many_jobs';
  readonly limit: number;
  constructor(limit: number) {
    super(`this key already has ${limit} active jobs (LDAM_MAX_ACTIVE_JOBS_PER_KEY); wait for one to finish`);
    this.name = 'ActiveJobLimitReached';
    this.limit = limit;
  }
  override details(): Record<string, unknown> {
    return { limit: this.limit };
  }
}

/** The server's own configuration is unusable (bad env values, no keys on a public address). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
