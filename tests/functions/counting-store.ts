// A Store that counts the calls made through it, to show what a request costs in store calls.
import type { Store } from '../../trainer/store/store.ts';

const reads = new Set(['get', 'getVersioned', 'stream', 'head', 'list']);

export interface CountingStore {
  readonly store: Store;
  /** Calls per method since the last reset. */
  counts(): Record<string, number>;
  /** Read calls (get, getVersioned, stream, head, list) since the last reset. */
  reads(): number;
  total(): number;
  reset(): void;
}

export function countingStore(inner: Store): CountingStore {
  let counts: Record<string, number> = {};
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        counts[property] = (counts[property] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const sum = (keep: (method: string) => boolean) =>
    Object.entries(counts).reduce((n, [method, c]) => (keep(method) ? n + c : n), 0);
  return {
    store,
    counts: () => ({ ...counts }),
    reads: () => sum((m) => reads.has(m)),
    total: () => sum((m) => m !== 'describe'),
    reset: () => {
      counts = {};
    },
  };
}
