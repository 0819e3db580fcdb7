import type { KernelConfig } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { batchMatMulKernel } from './batch-mat-mul.ts';
import { captureStockKernel } from './call.ts';
import { conv2DBackpropFilterKernel } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputKernel } from './conv2d-backprop-input.ts';
import { castKernel, identityKernel } from './identity-cast.ts';
import { maxPoolGradKernel } from './max-pool-grad.ts';
import { sliceKernel } from './slice.ts';
import { meanKernel, sumKernel } from './sum-mean.ts';
import { tileKernel } from './tile.ts';
import { transposeKernel } from './transpose.ts';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.ts';

/** Replacement kernels for the wasm backend, built once; each file says why it exists. */
const replacements: readonly KernelConfig[] = [
  conv2DBackpropFilterKernel,
  conv2DBackpropInputKernel,
  sliceKernel,
  tileKernel,
  transposeKernel,
  sumKernel,
  meanKernel,
  batchMatMulKernel,
  maxPoolGradKernel,
  identityKernel,
  castKernel,
  unsortedSegmentSumKernel,
];

let registered = false;

/**
 * Replaces or adds the wasm training kernels (idempotent). Only the wasm backend is touched;
 * the stock versions stay reachable through `call.ts` for composition.
 */
export function registerTrainingKernels(): void {
  if (registered) return;
  for (const config of replacements) {
    const stock = captureStockKernel(config.kernelName);
    // Unregister first: registerKernel on an existing name logs a warning for every replacement.
    if (stock !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({ ...config, backendName: 'wasm', ...setupOf(config, stock) });
  }
  registered = true;
}

/** Names of the kernels this module registers on wasm. */
export function trainingKernelNames(): string[] {
  return replacements.map((k) => k.kernelName);
}

// A replaced kernel keeps the stock setup (e.g. cwrap of its wasm function) so the stock
// implementation it delegates to still works on a backend initialised after registration.
function setupOf(config: KernelConfig, stock: KernelConfig | undefined): Pick<KernelConfig, 'setupFunc'> {
  const setup = config.setupFunc ?? stock?.setupFunc;
  return setup === undefined ? {} : { setupFunc: setup };
}
