import type { KernelConfig, SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callStock, release, wasmKernel } from './call.ts';
import { heapView } from './heap.ts';
import { blockView, sumMiddleAxis } from './reduce-block.ts';

// Why: stock wasm Sum and Mean transpose the input so the reduced axes come last; batch-norm
// statistics and their gradients reduce over [N, H, W] of every activation, so each call paid a
// full rank-4 transpose. A leading-axes reduction is instead one XNNPACK matmul with a row of
// ones (or of 1/R for the mean); other contiguous blocks are summed in place.

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
    const scale = mean ? 1 / view.reduced : 1;
    if (view.outer === 1) return reduceLeadingByMatMul(backend, x, view.reduced, view.inner, scale, outShape);
    const out = backend.makeOutput(outShape, 'float32');
    sumMiddleAxis(heapView(backend, x), view.outer, view.reduced, view.inner, scale, heapView(backend, out));
    return out;
  });
}

/** out[i] = Σ_r scale · x[r, i] as the product [1, R] · [R, inner] of a constant row and x. */
function reduceLeadingByMatMul(
  backend: BackendWasm,
  x: TensorInfo,
  reduced: number,
  inner: number,
  scale: number,
  outShape: number[],
): TensorInfo {
  const row = backend.makeOutput([1, reduced], 'float32');
  heapView(backend, row).fill(scale);
  const matrix = callStock(tf.Reshape, backend, { x }, { shape: [reduced, inner] });
  const product = callStock(
    tf.BatchMatMul,
    backend,
    { a: row, b: matrix },
    { transposeA: false, transposeB: false },
  );
  const out = callStock(tf.Reshape, backend, { x: product }, { shape: outShape });
  release(backend, row, matrix, product);
  return out;
}

export const sumKernel = reduceKernel(tf.Sum, false);
export const meanKernel = reduceKernel(tf.Mean, true);
