// Where the API's keys come from at request time: fixed (LDAM_API_KEYS) or fetched (the deployed
// stack reads its Secrets Manager secret), cached briefly so a rotated key takes effect within the
// cache's lifetime without a redeploy, and without a secret read per request.
import type { ApiKey } from './auth.ts';

/** The keys valid now. */
export type ApiKeySource = () => Promise<readonly ApiKey[]>;

export interface CachedValueOptions {
  /** How long a fetched value is used before the next fetch. */
  readonly ttlMs: number;
  /** How long the last value stays usable while fetching fails (a Secrets Manager outage). */
  readonly staleMs: number;
  readonly clock?: () => number;
  readonly onError?: (error: unknown) => void;
}

/** A value (the keys, the gateway token) fetched at most once per `ttlMs`; concurrent callers share one fetch. */
export function cachedValue<T>(fetchValue: () => Promise<T>, options: CachedValueOptions): () => Promise<T> {
  const clock = options.clock ?? Date.now;
  let cached: { value: T; at: number } | undefined;
  let inFlight: Promise<T> | undefined;
  const refresh = (): Promise<T> => {
    inFlight ??= fetchValue()
      .then((value) => {
        cached = { value, at: clock() };
        return value;
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        // Fail closed once the last good value is too old: no keys authenticate nobody.
        if (cached !== undefined && clock() - cached.at <= options.staleMs) return cached.value;
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  return async () => {
    if (cached !== undefined && clock() - cached.at < options.ttlMs) return cached.value;
    return refresh();
  };
}
