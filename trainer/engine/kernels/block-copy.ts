// Pure row-major copies on typed arrays, shared by the Slice and Tile kernels: both reduce to
// copying contiguous runs, which typed-array set/copyWithin do at memcpy speed.

export type NumericArray = Float32Array | Int32Array | Uint8Array;

/** dst[to, to + length) ← src[from, from + length); short runs skip the cost of a subarray view. */
export function copyRun(
  src: NumericArray,
  from: number,
  dst: NumericArray,
  to: number,
  length: number,
): void {
  if (length < 64) {
    for (let k = 0; k < length; k++) dst[to + k] = src[from + k] as number;
  } else {
    dst.set(src.subarray(from, from + length), to);
  }
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--)
    strides[axis] = (strides[axis + 1] ?? 1) * (shape[axis + 1] ?? 1);
  return strides;
}

/**
 * Merges trailing axes the slice takes whole into one contiguous run, so the copy loop visits
 * as few runs as possible: returns the outer axes to iterate and the run length.
 */
function contiguousRun(
  shape: readonly number[],
  size: readonly number[],
): { outerAxes: number; run: number } {
  let axis = shape.length - 1;
  let run = 1;
  while (axis >= 0 && size[axis] === shape[axis]) run *= shape[axis--] ?? 1;
  if (axis >= 0) run *= size[axis--] ?? 1;
  return { outerAxes: axis + 1, run };
}

/** dst (row-major `size`) ← src[begin : begin + size] of a row-major `shape`. */
export function sliceInto(
  src: NumericArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: NumericArray,
): void {
  const srcStrides = stridesOf(shape);
  const { outerAxes, run } = contiguousRun(shape, size);
  let srcBase = 0;
  for (let axis = 0; axis < shape.length; axis++) srcBase += (begin[axis] ?? 0) * (srcStrides[axis] ?? 0);
  const index = new Array<number>(outerAxes).fill(0);
  const runs = size.slice(0, outerAxes).reduce((a, b) => a * b, 1);
  for (let r = 0, dstOffset = 0; r < runs; r++, dstOffset += run) {
    let srcOffset = srcBase;
    for (let axis = 0; axis < outerAxes; axis++) srcOffset += (index[axis] ?? 0) * (srcStrides[axis] ?? 0);
    copyRun(src, srcOffset, dst, dstOffset, run);
    for (let axis = outerAxes - 1; axis >= 0; axis--) {
      const next = (index[axis] ?? 0) + 1;
      if (next < (size[axis] ?? 1)) {
        index[axis] = next;
        break;
      }
      index[axis] = 0;
    }
  }
}

/** dst (row-major shape[i]·reps[i]) ← src tiled `reps` times along each axis. */
export function tileInto(
  src: NumericArray,
  shape: readonly number[],
  reps: readonly number[],
  dst: NumericArray,
): void {
  if (shape.length === 0) {
    dst.set(src.subarray(0, 1));
    return;
  }
  const srcStrides = stridesOf(shape);
  const dstStrides = stridesOf(shape.map((s, i) => s * (reps[i] ?? 1)));
  const fill = (axis: number, srcOffset: number, dstOffset: number): void => {
    const extent = shape[axis] ?? 1;
    if (axis === shape.length - 1) {
      copyRun(src, srcOffset, dst, dstOffset, extent);
    } else {
      for (let j = 0; j < extent; j++) {
        fill(axis + 1, srcOffset + j * (srcStrides[axis] ?? 0), dstOffset + j * (dstStrides[axis] ?? 0));
      }
    }
    replicate(dst, dstOffset, extent * (dstStrides[axis] ?? 1), reps[axis] ?? 1);
  };
  fill(0, 0, 0);
}

/** Repeats the block dst[offset, offset + length) `times` times in place, doubling each copy. */
function replicate(dst: NumericArray, offset: number, length: number, times: number): void {
  const total = length * times;
  let filled = length;
  while (filled < total) {
    const chunk = Math.min(filled, total - filled);
    dst.copyWithin(offset + filled, offset, offset + chunk);
    filled += chunk;
  }
}
