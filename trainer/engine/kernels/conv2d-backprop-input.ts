import type { Conv2DBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel, callStock, release, type WasmKernelArgs, wasmKernel } from './call.ts';
import { inputGradientPadding } from './conv-geometry.ts';
import { cropForPadding } from './spatial-crop.ts';

// Why: stock wasm Conv2DBackpropInput is a scalar loop ~10× slower per multiply-add than the
// forward conv; this recasts the input gradient as one forward Conv2D on XNNPACK.

/**
 * dx = conv(upsample_s(dy), rot180(W) with in/out channels swapped), stride 1: the transpose of
 * a stride-s convolution.
 */
const conv2DBackpropInput = ({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') throw new Error(`Conv2DBackpropInput on wasm needs NHWC, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const { strideHeight: sh, strideWidth: sw } = info;
  const rows = inputGradientPadding(info.inHeight, info.outHeight, info.filterHeight, sh, info.padInfo.top);
  const cols = inputGradientPadding(info.inWidth, info.outWidth, info.filterWidth, sw, info.padInfo.left);

  const flipped = callStock('Reverse', backend, { x: filter }, { dims: [0, 1] });
  const swapped = callKernel('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] });
  const upsampled = sh === 1 && sw === 1 ? undefined : upsample(backend, dy, sh, sw);
  const cropped = cropForPadding(backend, upsampled ?? dy, rows, cols);
  const dx = callStock(
    'Conv2D',
    backend,
    { x: cropped.info, filter: swapped },
    { strides: [1, 1], dilations: [1, 1], pad: cropped.pad, dataFormat: 'NHWC' },
  );
  const owned = [
    flipped,
    swapped,
    ...(upsampled ? [upsampled] : []),
    ...(cropped.owned ? [cropped.info] : []),
  ];
  release(backend, ...owned);
  return dx;
};

/** [n,h,w,c] → [n,h·sh,w·sw,c] with each value at (i·sh, j·sw) and zeros elsewhere. */
function upsample(backend: BackendWasm, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  const [n, h, w, c] = dy.shape as [number, number, number, number];
  const spread = callStock('Reshape', backend, { x: dy }, { shape: [n * h, 1, w, 1, c] });
  const padded = callStock(
    'PadV2',
    backend,
    { x: spread },
    {
      paddings: [
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const out = callStock('Reshape', backend, { x: padded }, { shape: [n, h * sh, w * sw, c] });
  release(backend, spread, padded);
  return out;
}

export const conv2DBackpropInputKernel = wasmKernel(tf.Conv2DBackpropInput, conv2DBackpropInput);
