// Retrying transient storage failures with exponential backoff and full jitter until a deadline;
// past it the caller sees StoreUnavailableError, so the trainer can exit with a clear reason.

import { TrainerEnv } from '../process/contract.ts';
import { StoreUnavailableError } from './store.ts';

export const defaultStoreDeadlineSeconds = 300;

export interface RetryPolicy {
  /** How long one operation may keep retrying, in milliseconds. */
  readonly deadlineMs: number;
  /** First backoff ceiling (doubles per attempt). */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling. */
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  deadlineMs: defaultStoreDeadlineSeconds * 1000,
  baseDelayMs: 100,
  maxDelayMs: 5000,
};

/** The deadline from LDAM_STORE_DEADLINE_SECONDS (default 300 s); invalid values are rejected. */
export function storeDeadlineMsFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[TrainerEnv.storeDeadlineSeconds];
  if (raw === undefined || raw.trim() === '') return defaultStoreDeadlineSeconds * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(
      `${TrainerEnv.storeDeadlineSeconds} must be a non-negative number of seconds, got '${raw}'`,
    );
  }
  return seconds * 1000;
}

/** What an adapter says about an error: retry it, or rethrow this (already typed) error. */
export type Classified =
  | { readonly retry: true; readonly reason: string }
  | { readonly retry: false; readonly error: unknown };

/** Full jitter: uniform in [0, min(max, base·2^attempt)] (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export function backoffDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

// Per process, for operators' metrics (GET /metrics); a count only, so it never leaks keys.
let retriesSoFar = 0;

/** Transient store failures retried by this process since it started. */
export function storeRetryCount(): number {
  return retriesSoFar;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function gaveUp(attempts: number, policy: RetryPolicy): string {
  if (policy.deadlineMs <= 0) return 'not retried';
  const seconds = Number((policy.deadlineMs / 1000).toPrecision(3));
  return `gave up after ${attempts} attempts in ${seconds} s (${TrainerEnv.storeDeadlineSeconds})`;
}

/**
 * Runs `operation` until it succeeds, `classify` says an error is permanent, or the deadline
 * passes (then StoreUnavailableError naming the key and the last reason).
 */
export async function withRetry<T>(
  key: string,
  operation: () => Promise<T>,
  classify: (error: unknown) => Classified,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  const deadline = Date.now() + policy.deadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const verdict = classify(error);
      if (!verdict.retry) throw verdict.error;
      retriesSoFar += 1;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new StoreUnavailableError(key, `${verdict.reason}; ${gaveUp(attempt + 1, policy)}`, {
          cause: error,
        });
      }
      await sleep(Math.min(remaining, backoffDelayMs(attempt, policy)));
    }
  }
}
