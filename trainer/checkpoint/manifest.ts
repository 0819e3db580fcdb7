// The checkpoint manifest: size and sha256 of every file of one epoch directory. The same record
// is stored as the directory's manifest.json and, written last of all, as checkpoints/latest.json.

import { createHash } from 'node:crypto';
import { z } from 'zod';

export const fileDigestSchema = z.object({
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileDigest = z.infer<typeof fileDigestSchema>;

export const checkpointManifestSchema = z.object({
  version: z.literal(1),
  epoch: z.number().int().nonnegative(),
  /** The epoch directory's key, ending in '/'. */
  dir: z.string().endsWith('/'),
  createdAt: z.string(),
  files: z.record(z.string(), fileDigestSchema),
});
export type CheckpointManifest = z.infer<typeof checkpointManifestSchema>;

export function digestOf(bytes: Uint8Array): FileDigest {
  return { size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Parses a stored manifest; undefined with a reason when it is not one. */
export function parseManifest(bytes: Uint8Array): { manifest: CheckpointManifest } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { reason: 'manifest is not JSON' };
  }
  const parsed = checkpointManifestSchema.safeParse(json);
  return parsed.success
    ? { manifest: parsed.data }
    : { reason: `manifest is malformed: ${parsed.error.issues[0]?.message}` };
}

/** Why `bytes` is not the file the manifest describes, or undefined when it is. */
export function mismatch(name: string, expected: FileDigest, bytes: Uint8Array): string | undefined {
  if (bytes.byteLength !== expected.size)
    return `${name} has ${bytes.byteLength} bytes, expected ${expected.size}`;
  if (digestOf(bytes).sha256 !== expected.sha256) return `${name} does not match its sha256`;
  return undefined;
}
