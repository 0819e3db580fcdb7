import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

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

/** Runs the stock wasm kernel `kernelName` (never a replacement) on tensor infos of `backend`. */
export function callStock(
  kernelName: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  return invoke(stockKernels.get(kernelName) ?? findKernel(kernelName), kernelName, backend, inputs, attrs);
}

/** Runs the wasm kernel registered now for `kernelName` (a replacement if there is one). */
export function callKernel(
  kernelName: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  return invoke(findKernel(kernelName), kernelName, backend, inputs, attrs);
}

/** Frees intermediates a kernel produced (never its inputs or its output). */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function invoke(
  config: KernelConfig | undefined,
  kernelName: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  if (config === undefined) throw new Error(`wasm has no kernel '${kernelName}'`);
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`kernel '${kernelName}' returned several outputs`);
  return out;
}

function findKernel(kernelName: string): KernelConfig | undefined {
  // getKernel returns undefined for a missing kernel, despite its declared type.
  return (tf.getKernel(kernelName, 'wasm') as KernelConfig | undefined) ?? undefined;
}

/** What a wasm kernel receives, with the backend typed as the wasm backend it runs on. */
export interface WasmKernelArgs {
  readonly inputs: NamedTensorInfoMap;
  readonly backend: BackendWasm;
  readonly attrs: NamedAttrMap;
}

/** A wasm kernel config from a function of typed arguments (tfjs types the backend as `{}`). */
export function wasmKernel(kernelName: string, run: (args: WasmKernelArgs) => TensorInfo): KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: (args) => run(args as unknown as WasmKernelArgs) };
}
