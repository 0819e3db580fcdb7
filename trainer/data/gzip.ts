import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.ts';

/** Gunzips when the bytes start with the gzip magic (1f 8b), else returns them as they are. */
export function maybeGunzip(bytes: Uint8Array, fileName: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new DataError(fileName, `corrupt gzip stream (${(error as Error).message})`, { cause: error });
  }
}
