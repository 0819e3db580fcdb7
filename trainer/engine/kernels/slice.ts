import type { SliceAttrs, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { sliceInto } from './block-copy.ts';
import { callStock, type WasmKernelArgs, wasmKernel } from './call.ts';
import { heapView } from './heap.ts';

// Why: stock wasm Slice copies its whole input out of the heap first and falls back to a
// per-element loop above rank 4 (the CIFAR ResNet shortcut slices rank 6): 25% of a resnet8
// step. This copies contiguous runs straight between heap views.

const slice = ({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo => {
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype === 'string') return callStock(tf.Slice, backend, { x }, attrs);
  const { begin, size } = attrs as unknown as SliceAttrs;
  const [start, extent] = tf.slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
  const out = backend.makeOutput(extent, x.dtype);
  sliceInto(heapView(backend, x), x.shape, start, extent, heapView(backend, out));
  return out;
};

export const sliceKernel = wasmKernel(tf.Slice, slice);
