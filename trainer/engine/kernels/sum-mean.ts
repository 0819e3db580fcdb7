import type { KernelConfig, SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { callStock, release, wasmKernel } from './call.ts';
import { heapView } from './heap.ts';
import { blockView } from './reduce-block.ts';

// Why: stock wasm Sum and Mean transpose the input so the reduced axes come last, and batch-norm
// statistics and their gradients reduce over [N, H, W] of every activation: a full rank-4
// transpose per call. Any contiguous block of reduced axes is instead one XNNPACK average pool
// over an [outer, reduced, 1, inner] view (about the cost of a copy), scaled for Sum. (A matmul
// with a row of ones was tried first: it repacks the whole operand on every call.)

function reduceKernel(kernelName: typeof tf.Sum | typeof tf.Mean, mean: boolean): KernelConfig {
  return wasmKernel(kernelName, ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as SumAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const view = blockView(x.shape, axes);
    // Innermost reductions are already fast on wasm; integer sums keep the stock dtype rules.
    if (x.dtype !== 'float32' || view === undefined || view.inner === 1 || view.reduced === 1) {
      return callStock(kernelName, backend, { x }, attrs);
    }
    const outShape = x.shape.flatMap((extent, a) => (axes.includes(a) ? (keepDims ? [1] : []) : [extent]));
    const grid = callStock(tf.Reshape, backend, { x }, { shape: [view.outer, view.reduced, 1, view.inner] });
    const pooled = callStock(
      tf.AvgPool,
      backend,
      { x: grid },
      { filterSize: [view.reduced, 1], strides: 1, pad: 'valid' },
    );
    const out = callStock(tf.Reshape, backend, { x: pooled }, { shape: outShape });
    release(backend, grid, pooled);
    if (!mean) {
      const values = heapView(backend, out);
      for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * view.reduced;
    }
    return out;
  });
}

export const sumKernel = reduceKernel(tf.Sum, false);
export const meanKernel = reduceKernel(tf.Mean, true);
