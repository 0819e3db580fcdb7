import type { KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import type { OnednnBackend } from '../backend.ts';

type KernelArgs = Parameters<KernelFunc>[0];

/** A native kernel: returns its outputs, or undefined to run the stock cpu kernel instead. */
export type NativeKernel = (
  inputs: NamedTensorInfoMap,
  backend: OnednnBackend,
  attrs: Record<string, unknown>,
) => TensorInfo | TensorInfo[] | undefined;

/**
 * A kernel config whose native path falls back to tfjs's cpu kernel of the same name (same data,
 * same backend class) for cases the native code does not cover (other dtypes, layouts, broadcasts).
 */
export function nativeKernel(kernelName: string, run: NativeKernel): KernelConfig {
  const stock = tf.getKernel(kernelName, 'cpu');
  return {
    kernelName,
    backendName: 'onednn',
    kernelFunc: (args: KernelArgs) => {
      const out = run(
        args.inputs,
        args.backend as OnednnBackend,
        (args.attrs ?? {}) as Record<string, unknown>,
      );
      if (out !== undefined) return out;
      if (stock === undefined)
        throw new Error(`${kernelName}: no native path for these inputs and no cpu kernel`);
      return stock.kernelFunc(args);
    },
  };
}

/** An input that must be present. */
export function input(inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const info = inputs[name];
  if (info === undefined) throw new Error(`missing input '${name}'`);
  return info;
}

/**
 * True when every present tensor is float32 and stored as a Float32Array, which is what the addon
 * reads. The dtype alone does not say so: tfjs's cpu Cast from int32 or bool to float32 keeps the
 * source array (no encoding loss), so a float32 tensor may hold an Int32Array or a Uint8Array (the
 * one-hot labels of every loss are such casts). Anything else runs the stock cpu kernel.
 */
export function allFloat32(backend: OnednnBackend, ...infos: (TensorInfo | undefined)[]): boolean {
  return infos.every((i) => i === undefined || (i.dtype === 'float32' && backend.storesFloat32(i)));
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

type WindowInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/**
 * Whether oneDNN's output size, OH = floor((H + padTop + padBottom − effH) / strideH) + 1 (oneDNN
 * convolution and pooling docs), equals tfjs's: explicit padding can round to a size it cannot give.
 * `effH`/`effW` are the window's extent (dilated for convolutions).
 */
export function onednnOutputMatches(info: WindowInfo, effH: number, effW: number): boolean {
  const { top, left, bottom, right } = info.padInfo;
  const oh = Math.floor((info.inHeight + top + bottom - effH) / info.strideHeight) + 1;
  const ow = Math.floor((info.inWidth + left + right - effW) / info.strideWidth) + 1;
  return oh === info.outHeight && ow === info.outWidth;
}
