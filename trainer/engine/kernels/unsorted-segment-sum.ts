import type { TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { type WasmKernelArgs, wasmKernel } from './call.ts';
import { heapView } from './heap.ts';

// Why: wasm 4.22 has no UnsortedSegmentSum, and it is the gradient of gather (tfjs-core
// GatherV2_grad), so an embedding layer cannot train on wasm without it. A scatter-add of rows:
// out[ids[i], :] += x[i, :]; ids outside [0, numSegments) are dropped, as TensorFlow does.

/** Scatter-adds rows of `x` (one row of `inner` values per id) into `out` (zeroed by the caller). */
export function segmentSumInto(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  inner: number,
  numSegments: number,
  out: { [index: number]: number },
): void {
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i] as number;
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) out[to + j] = (out[to + j] as number) + (x[from + j] as number);
  }
}

const unsortedSegmentSum = ({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const idCount = segmentIds.shape.reduce((a, b) => a * b, 1);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  // Views only after makeOutput: it may grow the heap.
  const target = heapView(backend, out);
  target.fill(0);
  if (idCount > 0)
    segmentSumInto(heapView(backend, x), heapView(backend, segmentIds), inner, numSegments, target);
  return out;
};

export const unsortedSegmentSumKernel = wasmKernel(tf.UnsortedSegmentSum, unsortedSegmentSum);
