import { z } from 'zod';

// Sharded image datasets (`ldam datasets upload --shard`): images packed into plain ustar files
// shards/shard-NNNNN.tar, and shards/index.json saying where each image's bytes lie, so a trainer
// reads one image with one ranged GET (or from a cached shard) instead of one small object each.

export const shardIndexPath = 'shards/index.json';
export const shardDir = 'shards';

export function shardName(n: number): string {
  return `${shardDir}/shard-${String(n).padStart(5, '0')}.tar`;
}

export const shardIndexSchema = z.strictObject({
  version: z.literal(1),
  shards: z.array(z.strictObject({ path: z.string(), size: z.int().nonnegative() })),
  /** Image path → [shard number, byte offset of the file's data in the shard, size]. */
  files: z.record(z.string(), z.tuple([z.int().nonnegative(), z.int().nonnegative(), z.int().nonnegative()])),
});
export type ShardIndex = z.infer<typeof shardIndexSchema>;

const block = 512;

function writeField(header: Uint8Array, text: string, at: number, length: number): void {
  header.set(new TextEncoder().encode(text).subarray(0, length), at);
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

/** A ustar header for a regular file; names over 100 bytes go to the 155-byte prefix field. */
export function tarHeader(path: string, size: number): Uint8Array {
  const bytes = new TextEncoder().encode(path);
  let name = path;
  let prefix = '';
  if (bytes.length > 100) {
    const cut = path.lastIndexOf('/', path.length - 1);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (
      cut < 0 ||
      new TextEncoder().encode(prefix).length > 155 ||
      new TextEncoder().encode(name).length > 100
    )
      throw new Error(`'${path}' is too long for a ustar header (100-byte name, 155-byte prefix)`);
  }
  const header = new Uint8Array(block);
  writeField(header, name, 0, 100);
  writeField(header, octal(0o644, 8), 100, 8);
  writeField(header, octal(0, 8), 108, 8);
  writeField(header, octal(0, 8), 116, 8);
  writeField(header, octal(size, 12), 124, 12);
  writeField(header, octal(0, 12), 136, 12);
  header.fill(0x20, 148, 156);
  header[156] = '0'.charCodeAt(0);
  writeField(header, 'ustar\x0000', 257, 8);
  writeField(header, prefix, 345, 155);
  const checksum = header.reduce((sum, b) => sum + b, 0);
  writeField(header, `${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

/** Zero bytes after a file's data up to the next 512-byte block. */
export function tarPadding(size: number): Uint8Array {
  return new Uint8Array((block - (size % block)) % block);
}

/** Two zero blocks end an archive. */
export const tarEnd = new Uint8Array(2 * block);
export const tarBlock = block;
