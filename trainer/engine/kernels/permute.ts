import { copyRun, type NumericArray, stridesOf } from './block-copy.ts';

// A pure, cache-blocked N-D transpose on typed arrays for the wasm Transpose kernel.

// Tile edge of the blocked copy: large enough for long unit-stride runs, small enough for L1.
const tile = 128;

/** Drops size-1 axes and merges input axes that stay adjacent and in order under `perm`. */
export function simplifyPermutation(
  shape: readonly number[],
  perm: readonly number[],
): { shape: number[]; perm: number[] } {
  const kept = perm.filter((axis) => (shape[axis] ?? 1) !== 1);
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups[groups.length - 1];
    const previous = last?.[last.length - 1];
    if (last !== undefined && previous !== undefined && nextKeptAxis(shape, previous) === axis)
      last.push(axis);
    else groups.push([axis]);
  }
  const order = groups.map((g, i) => ({ first: g[0] ?? 0, i })).sort((a, b) => a.first - b.first);
  const rank = new Array<number>(groups.length);
  order.forEach(({ i }, position) => {
    rank[i] = position;
  });
  const merged = new Array<number>(groups.length);
  groups.forEach((g, i) => {
    merged[rank[i] ?? 0] = g.reduce((size, axis) => size * (shape[axis] ?? 1), 1);
  });
  return { shape: merged, perm: groups.map((_, i) => rank[i] ?? 0) };
}

function nextKeptAxis(shape: readonly number[], axis: number): number {
  let next = axis + 1;
  while (next < shape.length && shape[next] === 1) next++;
  return next;
}

/** dst ← src (row-major `shape`) with axes reordered so that dst axis k is src axis perm[k]. */
export function transposeInto(
  src: NumericArray,
  shape: readonly number[],
  perm: readonly number[],
  dst: NumericArray,
): void {
  const simple = simplifyPermutation(shape, perm);
  const rank = simple.shape.length;
  const inStrides = stridesOf(simple.shape);
  const outShape = simple.perm.map((axis) => simple.shape[axis] ?? 1);
  const outStrides = stridesOf(outShape);
  const readStride = simple.perm.map((axis) => inStrides[axis] ?? 0);
  if (rank <= 1) {
    dst.set(src.subarray(0, outShape[0] ?? 1));
    return;
  }
  const last = rank - 1;
  const p = simple.perm.indexOf(last);
  if (p === last) {
    copyRuns(src, outShape, readStride, outStrides, dst);
    return;
  }
  // Every other output axis is walked by an odometer; the (p, last) plane is copied in tiles.
  const outer = outShape.map((_, k) => k).filter((k) => k !== p && k !== last);
  const index = new Array<number>(outer.length).fill(0);
  const planes = outer.reduce((n, k) => n * (outShape[k] ?? 1), 1);
  const rows = outShape[p] ?? 1;
  const cols = outShape[last] ?? 1;
  const rowOut = outStrides[p] ?? 0;
  const colIn = readStride[last] ?? 0;
  for (let plane = 0; plane < planes; plane++) {
    let inBase = 0;
    let outBase = 0;
    outer.forEach((k, j) => {
      inBase += (index[j] ?? 0) * (readStride[k] ?? 0);
      outBase += (index[j] ?? 0) * (outStrides[k] ?? 0);
    });
    for (let r0 = 0; r0 < rows; r0 += tile) {
      const r1 = Math.min(rows, r0 + tile);
      for (let c0 = 0; c0 < cols; c0 += tile) {
        const c1 = Math.min(cols, c0 + tile);
        for (let r = r0; r < r1; r++) {
          const o = outBase + r * rowOut;
          const i = inBase + r;
          for (let c = c0; c < c1; c++) dst[o + c] = src[i + c * colIn] as number;
        }
      }
    }
    for (let j = outer.length - 1; j >= 0; j--) {
      const next = (index[j] ?? 0) + 1;
      if (next < (outShape[outer[j] ?? 0] ?? 1)) {
        index[j] = next;
        break;
      }
      index[j] = 0;
    }
  }
}

/** The input's last axis stays last: copy whole contiguous runs. */
function copyRuns(
  src: NumericArray,
  outShape: readonly number[],
  readStride: readonly number[],
  outStrides: readonly number[],
  dst: NumericArray,
): void {
  const last = outShape.length - 1;
  const run = outShape[last] ?? 1;
  const index = new Array<number>(last).fill(0);
  const runs = outShape.slice(0, last).reduce((n, d) => n * d, 1);
  for (let r = 0; r < runs; r++) {
    let inBase = 0;
    let outBase = 0;
    for (let k = 0; k < last; k++) {
      inBase += (index[k] ?? 0) * (readStride[k] ?? 0);
      outBase += (index[k] ?? 0) * (outStrides[k] ?? 0);
    }
    copyRun(src, inBase, dst, outBase, run);
    for (let k = last - 1; k >= 0; k--) {
      const next = (index[k] ?? 0) + 1;
      if (next < (outShape[k] ?? 1)) {
        index[k] = next;
        break;
      }
      index[k] = 0;
    }
  }
}
