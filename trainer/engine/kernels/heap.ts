import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NumericArray } from './block-copy.ts';

/**
 * Views of tensors on the wasm heap. Take them only after the last allocation of the kernel
 * (makeOutput may grow the heap, which detaches earlier views).
 */
export function heapView(backend: BackendWasm, info: TensorInfo): NumericArray {
  if (info.dtype === 'string' || info.dtype === 'complex64')
    throw new Error(`no heap view for dtype ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as NumericArray;
}
