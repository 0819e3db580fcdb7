// The stored-logits file of the run layout (run-layout.ts documents the bytes): one split's labels
// and logits at one epoch, plus the linear head's per-class norms, so every post-hoc view can be
// scored again from the file alone.
import { z } from 'zod';
import type { ClassifierHead } from '../metrics/posthoc.ts';
import { type LogitsPoint, type LogitsSplit, logitsPoints, logitsSplits } from './run-layout.ts';

const magic = 'LGT1';

export interface StoredLogits {
  readonly point: LogitsPoint;
  readonly split: LogitsSplit;
  readonly epoch: number;
  readonly numClasses: number;
  readonly labels: Int32Array;
  /** Row-major [labels.length × numClasses]. */
  readonly logits: Float32Array;
  /** The linear classifier at that epoch (null on a cosine head). */
  readonly head: ClassifierHead | null;
}

export class LogitsArtifactError extends Error {
  override readonly name = 'LogitsArtifactError';
}

const headerSchema = z.strictObject({
  version: z.literal(1),
  point: z.enum(logitsPoints),
  split: z.enum(logitsSplits),
  epoch: z.number().int().min(0),
  count: z.number().int().min(1),
  numClasses: z.number().int().min(2),
  head: z
    .strictObject({
      squaredNorms: z.array(z.number().min(0)),
      bias: z.array(z.number()).nullable(),
    })
    .nullable(),
});

export function encodeLogits(stored: StoredLogits): Uint8Array {
  const { labels, logits, numClasses } = stored;
  if (logits.length !== labels.length * numClasses)
    throw new RangeError(`${logits.length} logits for ${labels.length} examples of ${numClasses} classes`);
  const header = JSON.stringify({
    version: 1,
    point: stored.point,
    split: stored.split,
    epoch: stored.epoch,
    count: labels.length,
    numClasses,
    head: stored.head,
  });
  const unpadded = new TextEncoder().encode(header).length;
  const headerBytes = new TextEncoder().encode(header + ' '.repeat((4 - ((8 + unpadded) % 4)) % 4));
  const out = new Uint8Array(8 + headerBytes.length + 4 * labels.length + 4 * logits.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(magic), 0);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  const labelsAt = 8 + headerBytes.length;
  const logitsAt = labelsAt + 4 * labels.length;
  for (let i = 0; i < labels.length; i++) view.setInt32(labelsAt + 4 * i, labels[i] as number, true);
  for (let i = 0; i < logits.length; i++) view.setFloat32(logitsAt + 4 * i, logits[i] as number, true);
  return out;
}

export function decodeLogits(bytes: Uint8Array): StoredLogits {
  const fail = (why: string): never => {
    throw new LogitsArtifactError(`not a stored-logits file: ${why}`);
  };
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== magic) fail('no LGT1 magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.length || (8 + headerLength) % 4 !== 0) fail('bad header length');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    fail('the header is not JSON');
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) return fail(`header: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const header = parsed.data;
  const { count, numClasses: k } = header;
  if (
    header.head !== null &&
    (header.head.squaredNorms.length !== k || (header.head.bias?.length ?? k) !== k)
  )
    fail(`the head has not ${k} classes`);
  const start = 8 + headerLength;
  if (bytes.length !== start + 4 * count + 4 * count * k)
    fail(`${bytes.length} bytes, expected ${start + 4 * count * (1 + k)} for ${count} × ${k}`);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = view.getInt32(start + 4 * i, true);
    if (y < 0 || y >= k) fail(`label ${y} of example ${i} is not a class of ${k}`);
    labels[i] = y;
  }
  const logits = new Float32Array(count * k);
  const logitsStart = start + 4 * count;
  for (let i = 0; i < logits.length; i++) logits[i] = view.getFloat32(logitsStart + 4 * i, true);
  return {
    point: header.point,
    split: header.split,
    epoch: header.epoch,
    numClasses: k,
    labels,
    logits,
    head: header.head,
  };
}
