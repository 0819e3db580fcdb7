import type { TensorInfo, TransposeAttrs } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { callStock, type WasmKernelArgs, wasmKernel } from './call.ts';
import { heapView } from './heap.ts';
import { simplifyPermutation, transposeInto } from './permute.ts';

// Why: stock wasm Transpose walks permutations that move the innermost axis element by element
// (~15× a copy); the weight gradient moves the batch axis of every activation there, so this
// copies in cache-sized tiles. Permutations that keep whole rows stay on the stock kernel.

const transpose = ({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo => {
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype === 'string' || x.dtype === 'complex64') return callStock(tf.Transpose, backend, { x }, attrs);
  const { perm } = attrs as unknown as TransposeAttrs;
  const simple = simplifyPermutation(x.shape, perm);
  // Moves of whole contiguous rows are already fast in the stock kernel.
  if (simple.perm[simple.perm.length - 1] === simple.perm.length - 1)
    return callStock(tf.Transpose, backend, { x }, attrs);
  const out = backend.makeOutput(
    perm.map((axis) => x.shape[axis] ?? 1),
    x.dtype,
  );
  transposeInto(heapView(backend, x), x.shape, perm, heapView(backend, out));
  return out;
};

export const transposeKernel = wasmKernel(tf.Transpose, transpose);
