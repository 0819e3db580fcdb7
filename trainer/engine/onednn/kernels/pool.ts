import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { onednn } from '../addon.ts';
import { allFloat32, input, nativeKernel, onednnOutputMatches } from './shared.ts';

type PoolInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: Parameters<typeof tf.backend_util.computePool2DInfo>[4];
  dimRoundingMode?: Parameters<typeof tf.backend_util.computePool2DInfo>[5];
}

/** oneDNN's window for a tfjs pool (NHWC, no dilation), or undefined when it cannot express it. */
function windowOf(
  xShape: number[],
  attrs: PoolAttrs,
  isMax: boolean,
): { window: number[]; info: PoolInfo } | undefined {
  const info = tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { top, left, bottom, right } = info.padInfo;
  if (!onednnOutputMatches(info, info.filterHeight, info.filterWidth)) return undefined;
  const window = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    top,
    left,
    bottom,
    right,
    isMax ? 1 : 0,
  ];
  return { window, info };
}

function poolKernel(name: string, isMax: boolean): KernelConfig {
  return nativeKernel(name, (inputs, backend, attrs) => {
    const x = input(inputs, 'x');
    if (!allFloat32(backend, x) || x.shape.length !== 4) return undefined;
    const found = windowOf(x.shape, attrs as unknown as PoolAttrs, isMax);
    if (found === undefined) return undefined;
    const y = backend.buffer(found.info.outShape);
    onednn().pool2d(found.window, backend.valuesOf(x), y);
    return backend.output(y, found.info.outShape);
  });
}

function poolGradKernel(name: string, isMax: boolean): KernelConfig {
  return nativeKernel(name, (inputs, backend, attrs) => {
    const dy = input(inputs, 'dy');
    const x: TensorInfo = input(inputs, 'input');
    if (!allFloat32(backend, dy, x) || x.shape.length !== 4) return undefined;
    const found = windowOf(x.shape, attrs as unknown as PoolAttrs, isMax);
    if (found === undefined) return undefined;
    const dx = backend.buffer(x.shape);
    onednn().pool2dGrad(found.window, backend.valuesOf(dy), isMax ? backend.valuesOf(x) : null, dx);
    return backend.output(dx, x.shape);
  });
}

export const poolKernels: readonly KernelConfig[] = [
  poolKernel(tf.MaxPool, true),
  poolKernel(tf.AvgPool, false),
  poolGradKernel(tf.MaxPoolGrad, true),
  poolGradKernel(tf.AvgPoolGrad, false),
];
