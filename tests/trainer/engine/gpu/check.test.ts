// The GPU decision on fake facts (there is no GPU here): every way a deployment breaks, one at a time.
import { describe, expect, it } from 'vitest';
import { type GpuFacts, gpuProblems } from '../../../../trainer/engine/gpu/check.ts';
import { cudaRuntimeSonames } from '../../../../trainer/engine/gpu/libraries.ts';

/** What a working g4dn container reports (mocked: no GPU on this machine). */
const healthy: GpuFacts = {
  deviceNodes: [
    { path: '/dev/nvidiactl', present: true },
    { path: '/dev/nvidia-uvm', present: true },
    { path: '/dev/nvidia0', present: true },
  ],
  driver: { name: 'libcuda.so.1' },
  runtimeLibraries: cudaRuntimeSonames.map((name) => ({ name })),
  tensorflow: { gpuPackage: true, gpuDevice: true, op: { ok: true, ms: 840 } },
};

describe('gpuProblems (mocked GPU facts)', () => {
  it('finds nothing wrong with a working GPU container, in either mode', () => {
    expect(gpuProblems(healthy, 'gpu')).toEqual([]);
    expect(gpuProblems(healthy, 'no-gpu')).toEqual([]);
  });

  it.each<[string, GpuFacts, RegExp]>([
    [
      'no device nodes (started without a GPU)',
      {
        ...healthy,
        deviceNodes: healthy.deviceNodes.map((n) => ({ ...n, present: n.path.endsWith('ctl') })),
      },
      /GPU device nodes missing: \/dev\/nvidia-uvm, \/dev\/nvidia0/,
    ],
    [
      'the CUDA driver not mounted',
      { ...healthy, driver: { name: 'libcuda.so.1', error: 'libcuda.so.1: cannot open shared object file' } },
      /CUDA driver libcuda\.so\.1 cannot be loaded: libcuda\.so\.1: cannot open shared object file/,
    ],
    [
      'a CUDA runtime library missing from the image',
      {
        ...healthy,
        runtimeLibraries: healthy.runtimeLibraries.map((l) =>
          l.name === 'libcudnn.so.8' ? { ...l, error: 'libcudnn.so.8: cannot open shared object file' } : l,
        ),
      },
      /CUDA library libcudnn\.so\.8 cannot be loaded/,
    ],
    [
      'the GPU package not loadable',
      {
        deviceNodes: healthy.deviceNodes,
        driver: healthy.driver,
        runtimeLibraries: healthy.runtimeLibraries,
        loadError: "ERR_MODULE_NOT_FOUND: Cannot find package '@tensorflow/tfjs-node-gpu'",
      },
      /@tensorflow\/tfjs-node-gpu did not load: ERR_MODULE_NOT_FOUND/,
    ],
    [
      'the CPU build of libtensorflow behind the backend',
      { ...healthy, tensorflow: { gpuPackage: false, gpuDevice: false, op: { ok: true, ms: 1 } } },
      /CPU build, not @tensorflow\/tfjs-node-gpu/,
    ],
    [
      "libtensorflow's silent CPU fallback (no GPU in its device list)",
      { ...healthy, tensorflow: { gpuPackage: true, gpuDevice: false, op: { ok: true, ms: 1 } } },
      /lists no GPU device, so it would train on the CPU/,
    ],
    [
      'the op failing on GPU:0 (e.g. no kernel image for the device)',
      {
        ...healthy,
        tensorflow: {
          gpuPackage: true,
          gpuDevice: true,
          op: { ok: false, error: 'CUDA_ERROR_NO_BINARY_FOR_GPU' },
        },
      },
      /a small op on GPU:0 failed: CUDA_ERROR_NO_BINARY_FOR_GPU/,
    ],
  ])('refuses %s, naming it', (_name, facts, message) => {
    const problems = gpuProblems(facts, 'gpu');
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    expect(gpuProblems(healthy, 'gpu')).toEqual([]);
  });

  it('skips in no-gpu mode (image builds) only what needs a GPU', () => {
    const buildHost: GpuFacts = {
      ...healthy,
      deviceNodes: healthy.deviceNodes.map((n) => ({ ...n, present: false })),
      driver: { name: 'libcuda.so.1', error: 'libcuda.so.1: cannot open shared object file' },
      tensorflow: { gpuPackage: true, gpuDevice: false, op: { ok: true, ms: 3 } },
    };
    expect(gpuProblems(buildHost, 'no-gpu')).toEqual([]);
    expect(gpuProblems(buildHost, 'gpu')).toHaveLength(3);
    const cpuBuild: GpuFacts = {
      ...buildHost,
      tensorflow: { gpuPackage: false, gpuDevice: false, op: { ok: true, ms: 3 } },
    };
    expect(gpuProblems(cpuBuild, 'no-gpu')).toEqual([
      "the 'tensorflow' backend is @tensorflow/tfjs-node's CPU build, not @tensorflow/tfjs-node-gpu",
    ]);
  });
});
