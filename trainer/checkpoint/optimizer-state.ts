// Optimizer state (momentum slots, …) as named Float32 tensors: optimizer.json lists name, shape
// and offset; optimizer.bin holds the raw little-endian values, so a restore is byte-exact.

import { endianness } from 'node:os';
import { z } from 'zod';

export interface NamedFloat32 {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

const specSchema = z.array(
  z.object({
    name: z.string(),
    shape: z.array(z.number().int().nonnegative()),
    /** Offset in values (not bytes) into optimizer.bin. */
    offset: z.number().int().nonnegative(),
    length: z.number().int().nonnegative(),
  }),
);

function assertLittleEndian(): void {
  // Raw copies (not DataView round trips) keep NaN payloads and every bit; tfjs weights assume LE too.
  if (endianness() !== 'LE') throw new Error('checkpoints are little-endian; this host is big-endian');
}

export function encodeOptimizerState(state: readonly NamedFloat32[]): { spec: string; data: Uint8Array } {
  assertLittleEndian();
  const total = state.reduce((n, t) => n + t.values.length, 0);
  const data = new Uint8Array(total * 4);
  const spec: z.infer<typeof specSchema> = [];
  let offset = 0;
  for (const tensor of state) {
    const expected = tensor.shape.reduce((a, b) => a * b, 1);
    if (expected !== tensor.values.length) {
      throw new RangeError(
        `optimizer tensor '${tensor.name}' has ${tensor.values.length} values for shape [${tensor.shape.join(', ')}]`,
      );
    }
    data.set(
      new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength),
      offset * 4,
    );
    spec.push({ name: tensor.name, shape: [...tensor.shape], offset, length: tensor.values.length });
    offset += tensor.values.length;
  }
  return { spec: JSON.stringify(spec), data };
}

export function decodeOptimizerState(specText: string, data: Uint8Array): NamedFloat32[] {
  assertLittleEndian();
  const spec = specSchema.parse(JSON.parse(specText));
  return spec.map(({ name, shape, offset, length }) => {
    if ((offset + length) * 4 > data.byteLength)
      throw new RangeError(`optimizer tensor '${name}' runs past optimizer.bin`);
    // Copy into a fresh, aligned buffer: the stored bytes may sit at any offset.
    const values = new Float32Array(length);
    new Uint8Array(values.buffer).set(data.subarray(offset * 4, (offset + length) * 4));
    return { name, shape, values };
  });
}
