import { DataError } from '../errors.ts';

/** One review may hold at most this many bytes (the real IMDB's longest is ~14 KB). */
export const maxReviewBytes = 1 << 20;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** 1-based line of the first byte that is not valid UTF-8 (decoding each line on its own). */
function badLine(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      decoder.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line += 1;
    start = i + 1;
  }
  return line;
}

/** Strict UTF-8 decoding; invalid bytes are a DataError naming the file and line. */
export function decodeUtf8(bytes: Uint8Array, subject: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new DataError(`${subject}:${badLine(bytes)}`, 'is not valid UTF-8');
  }
}
