import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { onednn } from '../addon.ts';
import type { OnednnBackend } from '../backend.ts';
import { allFloat32, input, nativeKernel, sizeOf } from './shared.ts';

/**
 * C = op(A) op(B) over the leading (batch) axes, + bias over the last axis, optional ReLU; native
 * when the batch axes are equal or one side's batch is 1 (a broadcast oneDNN does directly).
 */
function product(
  backend: OnednnBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | undefined,
  relu: boolean,
): TensorInfo | undefined {
  if (!allFloat32(backend, a, b, bias) || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const batchA = sizeOf(aOuter);
  const batchB = sizeOf(bOuter);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const outer = tf.backend_util.assertAndGetBroadcastShape(aOuter, bOuter);
  if (sizeOf(outer) !== Math.max(batchA, batchB)) return undefined;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k) {
    throw new Error(`matMul: inner dimensions ${k} and ${transposeB ? bCols : bRows} differ`);
  }
  if (bias !== undefined && sizeOf(bias.shape) !== n) return undefined;
  const shape = [...outer, m, n];
  const c = backend.buffer(shape);
  onednn().matmul(
    [
      batchA,
      batchB,
      m,
      k,
      n,
      transposeA ? 1 : 0,
      transposeB ? 1 : 0,
      bias === undefined ? 0 : 1,
      relu ? 1 : 0,
    ],
    backend.valuesOf(a),
    backend.valuesOf(b),
    bias === undefined ? null : backend.valuesOf(bias),
    c,
  );
  return backend.output(c, shape);
}

export const batchMatMulKernel = nativeKernel(tf.BatchMatMul, (inputs, backend, attrs) =>
  product(
    backend,
    input(inputs, 'a'),
    input(inputs, 'b'),
    attrs.transposeA === true,
    attrs.transposeB === true,
    undefined,
    false,
  ),
);

export const fusedMatMulKernel = nativeKernel(tf._FusedMatMul, (inputs, backend, attrs) => {
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  if (inputs.preluActivationWeights !== undefined) return undefined;
  return product(
    backend,
    input(inputs, 'a'),
    input(inputs, 'b'),
    attrs.transposeA === true,
    attrs.transposeB === true,
    inputs.bias,
    activation === 'relu',
  );
});

export const matmulKernels: readonly KernelConfig[] = [batchMatMulKernel, fusedMatMulKernel];
