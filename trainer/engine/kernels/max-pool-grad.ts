import type { MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import type { NumericArray } from './block-copy.ts';
import { type WasmKernelArgs, wasmKernel } from './call.ts';
import { heapView } from './heap.ts';

// Why: stock wasm MaxPoolGrad routes no gradient out of a window whose values are all negative
// (it starts its running max at 0), so max-pooling anything but post-ReLU activations trains
// wrong. This follows the cpu kernel: the first maximum of each window takes the gradient.

export interface PoolGeometry {
  readonly batchSize: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** dx[argmax of each window] += dy[window] over NHWC arrays; padding never wins. */
export function maxPoolGradInto(x: NumericArray, dy: NumericArray, g: PoolGeometry, dx: NumericArray): void {
  dx.fill(0);
  const { inHeight: h, inWidth: w, inChannels: c } = g;
  let dyIndex = 0;
  for (let b = 0; b < g.batchSize; b++) {
    const imageBase = b * h * w * c;
    for (let yR = 0; yR < g.outHeight; yR++) {
      const rowStart = yR * g.strideHeight - g.padTop;
      const r0 = Math.max(0, rowStart);
      const r1 = Math.min(h, rowStart + g.filterHeight);
      for (let yC = 0; yC < g.outWidth; yC++) {
        const colStart = yC * g.strideWidth - g.padLeft;
        const c0 = Math.max(0, colStart);
        const c1 = Math.min(w, colStart + g.filterWidth);
        for (let d = 0; d < c; d++, dyIndex++) {
          let best = Number.NEGATIVE_INFINITY;
          let bestIndex = -1;
          for (let r = r0; r < r1; r++) {
            for (let q = c0; q < c1; q++) {
              const index = imageBase + (r * w + q) * c + d;
              const value = x[index] as number;
              if (value > best) {
                best = value;
                bestIndex = index;
              }
            }
          }
          if (bestIndex >= 0) dx[bestIndex] = (dx[bestIndex] as number) + (dy[dyIndex] as number);
        }
      }
    }
  }
}

const maxPoolGrad = ({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, 'float32');
  const geometry: PoolGeometry = { ...info, padTop: info.padInfo.top, padLeft: info.padInfo.left };
  maxPoolGradInto(heapView(backend, input), heapView(backend, dy), geometry, heapView(backend, dx));
  return dx;
};

export const maxPoolGradKernel = wasmKernel(tf.MaxPoolGrad, maxPoolGrad);
