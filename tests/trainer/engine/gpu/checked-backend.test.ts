// Backend selection with the GPU check, on mocked probes and a stand-in selectBackend (there is
// no GPU or tfjs-node-gpu here).
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../../trainer/cli/exit-status.ts';
import { BackendUnavailableError, type SelectedBackend } from '../../../../trainer/engine/backend.ts';
import { GpuUnavailableError, type TensorflowFacts } from '../../../../trainer/engine/gpu/check.ts';
import { checkGpuBackend, selectCheckedBackend } from '../../../../trainer/engine/gpu/checked-backend.ts';
import type { GpuProbes } from '../../../../trainer/engine/gpu/probes.ts';
import { ExitCode } from '../../../../trainer/process/exit-codes.ts';

const gpuSelected: SelectedBackend = {
  backend: 'tensorflow',
  device: 'gpu',
  tried: [{ name: 'tensorflow-gpu', ok: true }],
};

function mockedGpu(tensorflow: Partial<TensorflowFacts> = {}): GpuProbes {
  return {
    deviceNodes: async () => [{ path: '/dev/nvidia0', present: true }],
    load: (name) => ({ name }),
    tensorflow: async () => ({ gpuPackage: true, gpuDevice: true, op: { ok: true, ms: 12 }, ...tensorflow }),
  };
}

describe('selectCheckedBackend (mocked GPU probes)', () => {
  const env = { LDAM_BACKEND: 'tensorflow-gpu' };

  it('starts on a GPU that passes, saying so in the device', async () => {
    const selected = await selectCheckedBackend(env, {
      select: async () => gpuSelected,
      probes: mockedGpu(),
    });
    expect(selected.device).toBe('gpu (GPU:0); first op 12 ms');
  });

  it("refuses libtensorflow's CPU fallback with exit 5 instead of training on the CPU as 'gpu'", async () => {
    const run = selectCheckedBackend(env, {
      select: async () => gpuSelected,
      probes: mockedGpu({ gpuDevice: false }),
    });
    await expect(run).rejects.toThrow(GpuUnavailableError);
    const error = await run.catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(ExitCode.gpuUnavailable);
    expect(String(error)).toMatch(/lists no GPU device/);
  });

  it('names the GPU package and everything else missing when the package does not load', async () => {
    const select = async (): Promise<SelectedBackend> => {
      throw new BackendUnavailableError('x', [
        {
          name: 'tensorflow-gpu',
          ok: false,
          reason: "ERR_MODULE_NOT_FOUND: Cannot find package '@tensorflow/tfjs-node-gpu'",
        },
      ]);
    };
    const probes: GpuProbes = {
      ...mockedGpu(),
      load: (name) => (name === 'libcuda.so.1' ? { name, error: 'not found' } : { name }),
    };
    const error = (await selectCheckedBackend(env, { select, probes }).catch(
      (e: unknown) => e,
    )) as GpuUnavailableError;
    expect(error.problems).toEqual([
      expect.stringMatching(/^CUDA driver libcuda\.so\.1 cannot be loaded: not found/),
      expect.stringMatching(/^@tensorflow\/tfjs-node-gpu did not load: ERR_MODULE_NOT_FOUND/),
    ]);
  });

  it('checks the GPU package when it is picked as the best that loads, and leaves other backends alone', async () => {
    const auto = selectCheckedBackend(
      {},
      { select: async () => gpuSelected, probes: mockedGpu({ gpuDevice: false }) },
    );
    await expect(auto).rejects.toThrow(GpuUnavailableError);
    const wasm: SelectedBackend = {
      backend: 'wasm',
      device: 'cpu (wasm simd)',
      tried: [{ name: 'wasm', ok: true }],
    };
    const probes = { ...mockedGpu(), tensorflow: async () => expect.fail('no GPU check for wasm') };
    expect(await selectCheckedBackend({}, { select: async () => wasm, probes })).toBe(wasm);
  });

  it('accepts in no-gpu mode what an image build can prove (the GPU build loads, an op runs on the CPU)', async () => {
    const probes: GpuProbes = {
      ...mockedGpu({ gpuDevice: false }),
      deviceNodes: async () => [{ path: '/dev/nvidia0', present: false }],
      load: (name) => (name === 'libcuda.so.1' ? { name, error: 'not found' } : { name }),
    };
    const selected = await checkGpuBackend({}, 'no-gpu', { select: async () => gpuSelected, probes });
    expect(selected.device).toMatch(/no-gpu check/);
    await expect(checkGpuBackend({}, 'gpu', { select: async () => gpuSelected, probes })).rejects.toThrow(
      /GPU device nodes missing/,
    );
  });
});
