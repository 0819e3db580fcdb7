import type {
  KernelBackend,
  KernelConfig,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';

// Stock wasm kernels captured before replacement, so replacements can delegate to them.
const stockKernels = new Map<string, KernelConfig>();

/** Remembers the stock wasm kernel of this name (first call wins); undefined if wasm has none. */
export function captureStockKernel(kernelName: string): KernelConfig | undefined {
  const known = stockKernels.get(kernelName);
  if (known !== undefined) return known;
  const stock = findKernel(kernelName);
  if (stock !== undefined) stockKernels.set(kernelName, stock);
  return stock;
}

/** Runs the stock wasm kernel `kernelName` (not a replacement) on tensor infos of `backend`. */
export function callStock(
  kernelName: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = stockKernels.get(kernelName) ?? findKernel(kernelName);
  if (config === undefined) throw new Error(`wasm has no kernel '${kernelName}'`);
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`kernel '${kernelName}' returned several outputs`);
  return out;
}

/** Frees an intermediate produced by `callStock` (never an input of the calling kernel). */
export function release(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function findKernel(kernelName: string): KernelConfig | undefined {
  // getKernel returns undefined for a missing kernel, despite its declared type.
  return (tf.getKernel(kernelName, 'wasm') as KernelConfig | undefined) ?? undefined;
}
