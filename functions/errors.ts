// The API's domain errors: what went wrong, in the core's words. They carry a stable `code` and
// the fields a caller needs, never an HTTP status; `errorHandler` (http/on-error.ts) is the one
// place that maps them (and the trainer's spec and key errors) to responses.

export interface FieldIssue {
  readonly path: string;
  readonly rule: string;
}

export abstract class DomainError extends Error {
  readonly code: string;
  readonly #details: Record<string, unknown>;
  // The name is given, not read from the class: the Lambda bundle is minified.
  protected constructor(name: string, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = name;
    this.code = code;
    this.#details = details;
  }
  /** Extra fields of the error body (issues, estimate, limit, …). */
  details(): Record<string, unknown> {
    return this.#details;
  }
}

/** A domain error class whose whole content is its code and message. */
function messageError(name: string, code: string) {
  return class extends DomainError {
    constructor(message: string) {
      super(name, code, message);
    }
  };
}

/** A domain error class that carries the failing fields, described by `describe` unless a message is given. */
function issuesError(name: string, code: string, describe: (issues: readonly FieldIssue[]) => string) {
  return class extends DomainError {
    readonly issues: readonly FieldIssue[];
    constructor(issues: readonly FieldIssue[], message?: string) {
      super(name, code, message ?? describe(issues), { issues });
      this.issues = issues;
    }
  };
}

/** A stage-2 spec does not fit the job it starts from (other dataset, model or head). */
export class IncompatibleStage1 extends issuesError(
  'IncompatibleStage1',
  'incompatible_stage1',
  (issues) => `stage2 cannot start from this job: ${issues.map((i) => `${i.path}: ${i.rule}`).join('; ')}`,
) {}

/** The request (spec, query, cursor, benchmark) broke a rule; carries every failing field. */
export class InvalidInput extends issuesError(
  'InvalidInput',
  'validation_failed',
  (issues) => `invalid request: ${issues.map((i) => `${i.path || '(root)'}: ${i.rule}`).join('; ')}`,
) {}

/** The caller presented no key, or one that matches no configured key. */
export class Unauthenticated extends messageError('Unauthenticated', 'unauthorized') {
  constructor(message = 'missing or invalid API key (send Authorization: Bearer <token>)') {
    super(message);
  }
}

/** No such job, report, benchmark or route (for this owner). */
export class NotFound extends messageError('NotFound', 'not_found') {}

/** The thing exists but its state forbids the request (cancel an ended job, reuse a key, …). */
export class StateConflict extends messageError('StateConflict', 'conflict') {}

/** A key-less server refusing a request from elsewhere (another Host or Origin). */
export class Forbidden extends messageError('Forbidden', 'forbidden') {}

export class UnsupportedMediaType extends messageError('UnsupportedMediaType', 'unsupported_media_type') {}

export class BodyTooLarge extends DomainError {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super('BodyTooLarge', 'payload_too_large', `request body over ${limitBytes} bytes`, { limitBytes });
    this.limitBytes = limitBytes;
  }
}

/** The cost guard: the run's estimated time is over the runner's limit. Never admitted. */
export class CostLimitExceeded extends DomainError {
  readonly estimateSeconds: number;
  readonly limitSeconds: number;
  readonly basis: Record<string, unknown>;
  constructor(estimateSeconds: number, limitSeconds: number, basis: Record<string, unknown>) {
    super(
      'CostLimitExceeded',
      'cost_limit_exceeded',
      `estimated run time ${Math.round(estimateSeconds)} s exceeds this runner's limit of ${limitSeconds} s (LDAM_MAX_ESTIMATED_SECONDS)`,
      { estimateSeconds: Math.round(estimateSeconds), limitSeconds, estimate: basis },
    );
    this.estimateSeconds = estimateSeconds;
    this.limitSeconds = limitSeconds;
    this.basis = basis;
  }
}

/** The owner is at the active-job limit; admitted later, once one of their jobs ends. */
export class ActiveJobLimitReached extends DomainError {
  readonly limit: number;
  constructor(limit: number) {
    super(
      'ActiveJobLimitReached',
      'too_many_jobs',
      `this key already has ${limit} active jobs (LDAM_MAX_ACTIVE_JOBS_PER_KEY); wait for one to finish`,
      { limit },
    );
    this.limit = limit;
  }
}

/** The server's own configuration is unusable (bad env values, no keys on a public address). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
