// Where the API's keys come from at request time: fixed (LDAM_API_KEYS) or fetched (the deployed
// stack reads its Secrets Manager secret), cached briefly so a rotated key takes effect within the
// cache's lifetime without a redeploy, and without a secret read per request.
import type { ApiKey } from './auth.ts';

/** The keys valid now. */
export type ApiKeySource = () => Promise<readonly ApiKey[]>;

export interface CachedKeysOptions {
  /** How long fetched keys are used before the next fetch. */
  readonly ttlMs: number;
  /** How long the last keys stay usable while fetching fails (a Secrets Manager outage). */
  readonly staleMs: number;
  readonly clock?: () => number;
  readonly onError?: (error: unknown) => void;
}

/** Keys fetched at most once per `ttlMs`; concurrent requests share one fetch. */
export function cachedKeySource(fetchKeys: ApiKeySource, options: CachedKeysOptions): ApiKeySource {
  const clock = options.clock ?? Date.now;
  let cached: { keys: readonly ApiKey[]; at: number } | undefined;
  let inFlight: Promise<readonly ApiKey[]> | undefined;
  const refresh = (): Promise<readonly ApiKey[]> => {
    inFlight ??= fetchKeys()
      .then((keys) => {
        cached = { keys, at: clock() };
        return keys;
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        // Fail closed once the last good keys are too old: no keys authenticate nobody.
        if (cached !== undefined && clock() - cached.at <= options.staleMs) return cached.keys;
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  return async () => {
    if (cached !== undefined && clock() - cached.at < options.ttlMs) return cached.keys;
    return refresh();
  };
}
