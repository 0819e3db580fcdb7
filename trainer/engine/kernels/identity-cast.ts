import type { CastAttrs, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { callStock, type WasmKernelArgs, wasmKernel } from './call.ts';
import { heapView } from './heap.ts';

// Why: the autodiff tape clones every tensor a gradient needs (engine.saveTensorsForBackwardMode
// → Identity), and stock wasm Identity copies the buffer: a second copy of every activation on
// the heap and ~4% of a ResNet-32 step. Tensors are immutable, so this shares the buffer under
// a reference count, as the cpu backend and the wasm Reshape kernel do. A cast to the same dtype
// (every Mul gradient casts its operand to float32) is the same no-op. Stock Cast to bool also
// truncates through a byte (0.4 → 0, -2 → 254); here it is x ≠ 0, as on cpu.

function share(x: TensorInfo, args: WasmKernelArgs): TensorInfo {
  return callStock(tf.Reshape, args.backend, { x }, { shape: x.shape });
}

export const identityKernel = wasmKernel(tf.Identity, (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  return x.dtype === 'string' ? callStock(tf.Identity, args.backend, { x }) : share(x, args);
});

export const castKernel = wasmKernel(tf.Cast, (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  const { dtype } = args.attrs as unknown as CastAttrs;
  if (x.dtype === dtype && dtype !== 'string') return share(x, args);
  if (dtype !== 'bool' || x.dtype === 'string' || x.dtype === 'complex64') {
    return callStock(tf.Cast, args.backend, { x }, args.attrs);
  }
  const out = args.backend.makeOutput(x.shape, 'bool');
  const source = heapView(args.backend, x);
  const target = heapView(args.backend, out);
  for (let i = 0; i < source.length; i++) target[i] = source[i] !== 0 ? 1 : 0;
  return out;
});
