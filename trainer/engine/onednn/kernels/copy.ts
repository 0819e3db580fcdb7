import type { KernelConfig } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { onednn } from '../addon.ts';
import { allFloat32, input, nativeKernel, sizeOf } from './shared.ts';

// Slice, PadV2, Sum and Mean: tfjs's cpu backend computes an index per element for strided
// slices and pads (the ResNet shortcut slices a rank-6 view, its gradient pads it) and transposes
// before reducing over non-trailing axes; here they are block copies and one-pass reductions.

export const sliceKernel = nativeKernel(tf.Slice, (inputs, backend, attrs) => {
  const x = input(inputs, 'x');
  if (!allFloat32(backend, x) || x.shape.length === 0) return undefined;
  const [begin = [], size = []] = tf.slice_util.parseSliceParams(
    x as unknown as tf.Tensor,
    attrs.begin as number | number[],
    attrs.size as number | number[],
  );
  // A contiguous slice is a zero-copy view on cpu (the buffer pool counts views).
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) return undefined;
  const out = backend.buffer(size);
  const zeros = size.map(() => 0);
  onednn().copyBox(x.shape.length, backend.valuesOf(x), x.shape, begin, out, size, zeros, size);
  return backend.output(out, size);
});

export const padKernel = nativeKernel(tf.PadV2, (inputs, backend, attrs) => {
  const x = input(inputs, 'x');
  if (!allFloat32(backend, x) || x.shape.length === 0) return undefined;
  const paddings = attrs.paddings as [number, number][];
  const shape = x.shape.map((d, i) => (paddings[i]?.[0] ?? 0) + d + (paddings[i]?.[1] ?? 0));
  const out = backend.buffer(shape);
  onednn().fill(out, (attrs.constantValue as number | undefined) ?? 0);
  const before = x.shape.map((_, i) => paddings[i]?.[0] ?? 0);
  const zeros = x.shape.map(() => 0);
  onednn().copyBox(x.shape.length, backend.valuesOf(x), x.shape, zeros, out, shape, before, x.shape);
  return backend.output(out, shape);
});

/** [outer, middle, inner] when `axes` form one contiguous block, else undefined. */
function blockOf(shape: readonly number[], axes: readonly number[]): [number, number, number] | undefined {
  const sorted = [...axes].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined || last - first + 1 !== sorted.length) return undefined;
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}

function reduceKernel(name: string, mean: boolean): KernelConfig {
  return nativeKernel(name, (inputs, backend, attrs) => {
    const x = input(inputs, 'x');
    if (!allFloat32(backend, x) || x.shape.length === 0) return undefined;
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const block = blockOf(x.shape, axes);
    if (block === undefined) return undefined;
    const shape = attrs.keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.buffer(shape);
    onednn().reduceMiddle(block, backend.valuesOf(x), out, mean);
    return backend.output(out, shape);
  });
}

export const copyKernels: readonly KernelConfig[] = [
  sliceKernel,
  padKernel,
  reduceKernel(tf.Sum, false),
  reduceKernel(tf.Mean, true),
];
