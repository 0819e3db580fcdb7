import { describe, expect, it } from 'vitest';
import {
  decodeLogits,
  encodeLogits,
  LogitsArtifactError,
  type StoredLogits,
} from '../../../trainer/store/logits-artifact.ts';

const sample = (overrides: Partial<StoredLogits> = {}): StoredLogits => ({
  point: 'best',
  split: 'validation',
  epoch: 7,
  numClasses: 3,
  labels: Int32Array.from([2, 0, 1]),
  logits: Float32Array.from([0.1, -2.5, 3.25, Number.NaN, -0, Infinity, 1e-30, 7, -7]),
  head: { squaredNorms: [0.5, 1.25, 2], bias: [0.1, -0.2, 0.30000001192092896] },
  ...overrides,
});

describe('the stored-logits file', () => {
  it('round-trips labels, float32 logits bit for bit (NaN, −0, ∞), the epoch and the head', () => {
    const original = sample();
    const bytes = encodeLogits(original);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('LGT1');
    // Header padded so the int32/float32 arrays start on a 4-byte boundary.
    const headerLength = new DataView(bytes.buffer).getUint32(4, true);
    expect((8 + headerLength) % 4).toBe(0);
    expect(bytes.length).toBe(8 + headerLength + 4 * 3 + 4 * 9);
    const decoded = decodeLogits(bytes);
    expect(decoded).toMatchObject({ point: 'best', split: 'validation', epoch: 7, numClasses: 3 });
    expect([...decoded.labels]).toEqual([2, 0, 1]);
    expect(Buffer.from(decoded.logits.buffer)).toEqual(Buffer.from(original.logits.buffer));
    expect(decoded.head).toEqual(original.head);
    expect(decodeLogits(encodeLogits(sample({ head: null }))).head).toBeNull();
  });

  it('refuses a file that is not one, is cut short, or whose labels or head do not fit K', () => {
    const bytes = encodeLogits(sample());
    const refused = (b: Uint8Array, why: RegExp) => {
      expect(() => decodeLogits(b)).toThrow(LogitsArtifactError);
      expect(() => decodeLogits(b)).toThrow(why);
    };
    refused(new TextEncoder().encode('{"json":true}'), /magic/);
    refused(bytes.subarray(0, bytes.length - 4), /bytes, expected/);
    const badLabel = bytes.slice();
    const headerLength = new DataView(badLabel.buffer).getUint32(4, true);
    new DataView(badLabel.buffer).setInt32(8 + headerLength, 3, true);
    refused(badLabel, /label 3 of example 0 is not a class of 3/);
    refused(encodeLogits(sample({ head: { squaredNorms: [1, 1], bias: null } })), /head has not 3 classes/);
    expect(() => encodeLogits(sample({ labels: Int32Array.from([0, 1]) }))).toThrow(RangeError);
  });
});
