import type { BatchMatMulAttrs, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel, callStock, release, type WasmKernelArgs, wasmKernel } from './call.ts';

// Why: stock wasm BatchMatMul runs XNNPACK only without transposes and a naive loop otherwise,
// and every matMul gradient transposes one operand; an explicit transpose first keeps the
// product on XNNPACK.

const batchMatMul = ({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo => {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return callStock(tf.BatchMatMul, backend, { a, b }, attrs);
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const a3 = transposeA ? swapLastTwo(backend, a) : a;
  const b3 = transposeB ? swapLastTwo(backend, b) : b;
  const product = callStock(
    tf.BatchMatMul,
    backend,
    { a: a3, b: b3 },
    { transposeA: false, transposeB: false },
  );
  const rows = product.shape[product.shape.length - 2] ?? 1;
  const cols = product.shape[product.shape.length - 1] ?? 1;
  const out = callStock(tf.Reshape, backend, { x: product }, { shape: [...outer, rows, cols] });
  release(backend, product, ...(transposeA ? [a3] : []), ...(transposeB ? [b3] : []));
  return out;
};

/** [..., r, c] → [batch, c, r] with every leading axis folded into the batch. */
function swapLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2] ?? 1;
  const cols = x.shape[rank - 1] ?? 1;
  const batch = x.shape.slice(0, -2).reduce((n, d) => n * d, 1);
  const x3 = callStock(tf.Reshape, backend, { x }, { shape: [batch, rows, cols] });
  const swapped = callKernel(tf.Transpose, backend, { x: x3 }, { perm: [0, 2, 1] });
  release(backend, x3);
  return swapped;
}

export const batchMatMulKernel = wasmKernel(tf.BatchMatMul, batchMatMul);
