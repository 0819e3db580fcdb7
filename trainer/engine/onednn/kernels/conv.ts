import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { onednn } from '../addon.ts';
import { allFloat32, input, nativeKernel, onednnOutputMatches } from './shared.ts';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Rounding = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];

interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: Rounding;
}

/**
 * oneDNN's geometry for a tfjs conv, or undefined when oneDNN cannot express it (NCHW, or explicit
 * padding whose rounding gives an output size oneDNN's formula does not).
 */
export function convGeometry(info: ConvInfo): number[] | undefined {
  if (info.dataFormat !== 'channelsLast') return undefined;
  const { top, left, bottom, right } = info.padInfo;
  const effH = (info.filterHeight - 1) * info.dilationHeight + 1;
  const effW = (info.filterWidth - 1) * info.dilationWidth + 1;
  if (!onednnOutputMatches(info, effH, effW)) return undefined;
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    top,
    left,
    bottom,
    right,
  ];
}

function infoOf(xShape: number[], filterShape: number[], attrs: ConvAttrs): ConvInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'),
  );
}

function forward(
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  relu: boolean,
  attrs: ConvAttrs,
  backend: Parameters<Parameters<typeof nativeKernel>[1]>[1],
): TensorInfo | undefined {
  if (!allFloat32(backend, x, filter, bias)) return undefined;
  const info = infoOf(x.shape, filter.shape, attrs);
  const geometry = convGeometry(info);
  if (geometry === undefined) return undefined;
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== info.outChannels)) return undefined;
  const y = backend.buffer(info.outShape);
  onednn().conv2d(
    geometry,
    [bias === undefined ? 0 : 1, relu ? 1 : 0],
    backend.valuesOf(x),
    backend.valuesOf(filter),
    bias === undefined ? null : backend.valuesOf(bias),
    y,
  );
  return backend.output(y, info.outShape);
}

export const conv2DKernel = nativeKernel(tf.Conv2D, (inputs, backend, attrs) =>
  forward(
    input(inputs, 'x'),
    input(inputs, 'filter'),
    undefined,
    false,
    attrs as unknown as ConvAttrs,
    backend,
  ),
);

export const fusedConv2DKernel = nativeKernel(tf.FusedConv2D, (inputs, backend, attrs) => {
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  if (inputs.preluActivationWeights !== undefined) return undefined;
  return forward(
    input(inputs, 'x'),
    input(inputs, 'filter'),
    inputs.bias,
    activation === 'relu',
    attrs as unknown as ConvAttrs,
    backend,
  );
});

export const conv2DBackpropInputKernel = nativeKernel(tf.Conv2DBackpropInput, (inputs, backend, attrs) => {
  const dy = input(inputs, 'dy');
  const filter = input(inputs, 'filter');
  if (!allFloat32(backend, dy, filter)) return undefined;
  const inputShape = attrs.inputShape as number[];
  const info = infoOf(inputShape, filter.shape, { ...(attrs as unknown as ConvAttrs), dilations: 1 });
  const geometry = convGeometry(info);
  if (geometry === undefined) return undefined;
  const dx = backend.buffer(inputShape);
  onednn().conv2dBackpropInput(geometry, backend.valuesOf(dy), backend.valuesOf(filter), dx);
  return backend.output(dx, inputShape);
});

export const conv2DBackpropFilterKernel = nativeKernel(tf.Conv2DBackpropFilter, (inputs, backend, attrs) => {
  const x = input(inputs, 'x');
  const dy = input(inputs, 'dy');
  if (!allFloat32(backend, x, dy)) return undefined;
  const filterShape = attrs.filterShape as number[];
  const info = infoOf(x.shape, filterShape, { ...(attrs as unknown as ConvAttrs), dilations: 1 });
  const geometry = convGeometry(info);
  if (geometry === undefined) return undefined;
  const dw = backend.buffer(filterShape);
  onednn().conv2dBackpropFilter(geometry, backend.valuesOf(x), backend.valuesOf(dy), dw);
  return backend.output(dw, filterShape);
});

export const convKernels: readonly KernelConfig[] = [
  conv2DKernel,
  fusedConv2DKernel,
  conv2DBackpropInputKernel,
  conv2DBackpropFilterKernel,
];
