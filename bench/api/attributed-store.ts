// Store calls attributed to the request that made them: a Store wrapper that counts each call in
// the counter of the async context it runs in, so the supervisor's timer or another request
// running meanwhile never lands in a request's count.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store } from '../../trainer/store/store.ts';

export interface AttributedStore {
  readonly store: Store;
  /** Runs `work`, returning its result and the store calls made on its behalf. */
  track<T>(work: () => Promise<T>): Promise<{ result: T; calls: number }>;
}

export function attributedStore(inner: Store): AttributedStore {
  const context = new AsyncLocalStorage<{ calls: number }>();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'describe') return value;
      return (...args: unknown[]) => {
        const counter = context.getStore();
        if (counter !== undefined) counter.calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    track: async (work) => {
      const counter = { calls: 0 };
      const result = await context.run(counter, work);
      return { result, calls: counter.calls };
    },
  };
}
