// The side effects behind the GPU check (check.ts): looking at /dev, asking the dynamic loader,
// running one op on the active tfjs backend. Each is small enough to trust by reading; the
// decision they feed is tested with fakes.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type GpuFacts, type LibraryLoad, matMulExpected, type TensorflowFacts } from './check.ts';
import { cudaDriverSoname, cudaRuntimeSonames, nvidiaControlNodes } from './libraries.ts';

export interface GpuProbes {
  deviceNodes(): Promise<GpuFacts['deviceNodes']>;
  load(library: string): LibraryLoad;
  /** Facts of the active backend (call after the GPU package loaded). */
  tensorflow(): Promise<TensorflowFacts>;
}

/** The NVIDIA nodes under `devDir`: the control nodes, and the numbered GPUs (/dev/nvidia0 when there are none). */
export async function probeDeviceNodes(devDir = '/dev'): Promise<GpuFacts['deviceNodes']> {
  const names = new Set(await readdir(devDir).catch(() => [] as string[]));
  const gpus = [...names].filter((name) => /^nvidia\d+$/.test(name)).sort();
  return [
    ...nvidiaControlNodes.map((name) => ({ path: join(devDir, name), present: names.has(name) })),
    ...(gpus.length === 0
      ? [{ path: join(devDir, 'nvidia0'), present: false }]
      : gpus.map((name) => ({ path: join(devDir, name), present: true }))),
  ];
}

/**
 * dlopen through Node's addon loader: a plain library loads, then is refused as "did not
 * self-register" (not an addon), which is the proof it resolved; anything else is dlopen's error.
 */
export function probeLibrary(name: string): LibraryLoad {
  try {
    process.dlopen({ exports: {} }, name);
    return { name };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/did not self-register/i.test(message)) return { name };
    return { name, error: message.split('\n', 1)[0] ?? message };
  }
}

/** What the active backend is, and a 2×2 matMul on the device it places ops on. */
export async function probeTensorflow(): Promise<TensorflowFacts> {
  // NodeJSKernelBackend's own fields (tfjs-node): the package it came from, and whether
  // libtensorflow's device list had a GPU when the backend was created.
  const backend = tf.backend() as { isGPUPackage?: unknown; isUsingGpuDevice?: unknown };
  const facts = { gpuPackage: backend.isGPUPackage === true, gpuDevice: backend.isUsingGpuDevice === true };
  const started = performance.now();
  try {
    const product = tf.tidy(() =>
      tf.matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [5, 6],
          [7, 8],
        ]),
      ),
    );
    const values = Array.from(await product.data());
    product.dispose();
    const ms = Math.round(performance.now() - started);
    if (values.join(',') !== matMulExpected.join(','))
      return {
        ...facts,
        op: {
          ok: false,
          error: `matMul gave [${values.join(', ')}], expected [${matMulExpected.join(', ')}]`,
        },
      };
    return { ...facts, op: { ok: true, ms } };
  } catch (error) {
    return { ...facts, op: { ok: false, error: error instanceof Error ? error.message : String(error) } };
  }
}

export const realGpuProbes: GpuProbes = {
  deviceNodes: () => probeDeviceNodes(),
  load: probeLibrary,
  tensorflow: probeTensorflow,
};

/** Every fact the check needs; `tensorflow` only when the GPU package loaded. */
export async function gatherGpuFacts(
  probes: GpuProbes,
  loaded: { readonly ok: true } | { readonly ok: false; readonly error: string },
): Promise<GpuFacts> {
  const common = {
    deviceNodes: await probes.deviceNodes(),
    driver: probes.load(cudaDriverSoname),
    runtimeLibraries: cudaRuntimeSonames.map((name) => probes.load(name)),
  };
  if (!loaded.ok) return { ...common, loadError: loaded.error };
  return { ...common, tensorflow: await probes.tensorflow() };
}
