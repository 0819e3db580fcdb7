/** How far a pipeline may run ahead of its consumer. */
export interface PrefetchLimits {
  /** Loads (read + decode) running at once. */
  readonly concurrency: number;
  /** No new load starts while finished-but-unconsumed results hold this many bytes or more. */
  readonly maxBufferedBytes: number;
}

/** What a pipeline did; tests assert the bounds on these, not on process memory. */
export interface PrefetchStats {
  loaded: number;
  peakInFlight: number;
  peakBufferedBytes: number;
  largestItemBytes: number;
}

export function emptyPrefetchStats(): PrefetchStats {
  return { loaded: 0, peakInFlight: 0, peakBufferedBytes: 0, largestItemBytes: 0 };
}

export interface Loaded<T> {
  readonly value: T;
  readonly bytes: number;
}

/**
 * Yields load(0), load(1), … load(count − 1) in order while loading ahead: at most `concurrency`
 * loads run at once, and none starts while buffered results reach `maxBufferedBytes`, so what is
 * held stays under maxBufferedBytes + concurrency × the largest item. A failed load rejects the
 * iteration when its turn comes; loads still running are awaited first, so none is left dangling.
 */
export async function* prefetchInOrder<T>(
  count: number,
  load: (i: number) => Promise<Loaded<T>>,
  limits: PrefetchLimits,
  stats: PrefetchStats = emptyPrefetchStats(),
): AsyncGenerator<T> {
  const pending: Promise<Loaded<T>>[] = [];
  let next = 0;
  let inFlight = 0;
  let buffered = 0;
  const start = () => {
    while (next < count && inFlight < limits.concurrency && buffered < limits.maxBufferedBytes) {
      inFlight += 1;
      stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
      const promise = load(next).then(
        (result) => {
          inFlight -= 1;
          buffered += result.bytes;
          stats.loaded += 1;
          stats.largestItemBytes = Math.max(stats.largestItemBytes, result.bytes);
          stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, buffered);
          start();
          return result;
        },
        (error: unknown) => {
          inFlight -= 1;
          throw error;
        },
      );
      // Rejections surface when consumed; this keeps one arriving early from being "unhandled".
      promise.catch(() => undefined);
      pending.push(promise);
      next += 1;
    }
  };
  try {
    start();
    while (pending.length > 0) {
      const result = await (pending.shift() as Promise<Loaded<T>>);
      buffered -= result.bytes;
      start();
      yield result.value;
    }
  } finally {
    next = count;
    await Promise.allSettled(pending);
  }
}
