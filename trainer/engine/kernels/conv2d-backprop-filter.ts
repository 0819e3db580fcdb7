import type { Conv2DBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { callKernel, callStock, release, type WasmKernelArgs, wasmKernel } from './call.ts';
import { filterGradientPadding } from './conv-geometry.ts';
import { cropForPadding } from './spatial-crop.ts';

// Why: wasm has no Conv2DBackpropFilter, so no conv net can train on it; this recasts the weight
// gradient as one forward Conv2D, which wasm runs on XNNPACK.

/**
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+kh−p, ow·s+kw−p, ci] · dy[n,oh,ow,co]: a stride-1
 * convolution, dilated by s, of xᵀ = x[ci,h,w,n] with the filter dyᵀ = dy[oh,ow,n,co].
 */
const conv2DBackpropFilter = ({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast')
    throw new Error(`Conv2DBackpropFilter on wasm needs NHWC, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const rows = filterGradientPadding(
    info.inHeight,
    info.outHeight,
    info.filterHeight,
    info.strideHeight,
    info.padInfo.top,
  );
  const cols = filterGradientPadding(
    info.inWidth,
    info.outWidth,
    info.filterWidth,
    info.strideWidth,
    info.padInfo.left,
  );

  const xT = callKernel('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = callKernel('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const cropped = cropForPadding(backend, xT, rows, cols);
  const gradT = callStock(
    'Conv2D',
    backend,
    { x: cropped.info, filter: dyT },
    {
      strides: [1, 1],
      dilations: [info.strideHeight, info.strideWidth],
      pad: cropped.pad,
      dataFormat: 'NHWC',
    },
  );
  const grad = callKernel('Transpose', backend, { x: gradT }, { perm: [1, 2, 0, 3] });
  release(backend, xT, dyT, gradT, ...(cropped.owned ? [cropped.info] : []));
  return grad;
};

export const conv2DBackpropFilterKernel = wasmKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
