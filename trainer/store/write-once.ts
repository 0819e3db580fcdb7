// Helpers on top of the Store port for append-only writers (event chunks, log chunks, records).
import { type PutOptions, type Store, StoreNotFoundError } from './store.ts';

/** The object's bytes, or undefined when there is none. */
export async function getIfPresent(store: Store, key: string): Promise<Uint8Array | undefined> {
  try {
    return await store.get(key);
  } catch (error) {
    if (error instanceof StoreNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Creates the object only if absent; true when the key now holds exactly `body` — also when an
 * earlier try created it but its response was lost, so a retry is not mistaken for a conflict.
 */
export async function putOnce(
  store: Store,
  key: string,
  body: string,
  options?: PutOptions,
): Promise<boolean> {
  if (await store.putIfAbsent(key, body, options)) return true;
  const existing = await getIfPresent(store, key);
  return existing !== undefined && Buffer.from(existing).equals(Buffer.from(body, 'utf8'));
}
