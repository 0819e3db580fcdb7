import type { TensorInfo, TileAttrs } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { tileInto } from './block-copy.ts';
import { callStock, type WasmKernelArgs, wasmKernel } from './call.ts';
import { heapView } from './heap.ts';

// Why: tfjs-core's FusedBatchNorm gradient tiles a [1,1,1,C] tensor to the full activation
// shape, and stock wasm Tile computes an index per element (27% of a resnet8 step); this
// replicates contiguous blocks by doubling copies.

const tile = ({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo => {
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype === 'string') return callStock(tf.Tile, backend, { x }, attrs);
  const { reps } = attrs as unknown as TileAttrs;
  const out = backend.makeOutput(
    x.shape.map((extent, axis) => extent * (reps[axis] ?? 1)),
    x.dtype,
  );
  tileInto(heapView(backend, x), x.shape, reps, heapView(backend, out));
  return out;
};

export const tileKernel = wasmKernel(tf.Tile, tile);
