// Real child processes on a machine with no GPU and no @tensorflow/tfjs-node-gpu: what a broken
// GPU image does at start, instead of training on the CPU under a "gpu" label.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../trainer/process/exit-codes.ts';
import { runLdam } from './child.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-gpu-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the GPU check at trainer start (child process, no GPU here)', () => {
  it('ldam train on tensorflow-gpu exits 5 naming what is missing, before training anything', async () => {
    const spec = join(dir, 'spec.json');
    await writeFile(
      spec,
      JSON.stringify({
        version: 1,
        dataset: {
          name: 'synthetic',
          numClasses: 2,
          maxPerClass: 20,
          synthetic: { shape: [4], testPerClass: 10 },
        },
        model: { arch: 'mlp', hidden: [4] },
        schedule: { epochs: 1 },
      }),
    );
    const out = join(dir, 'out');
    const result = await runLdam(['train', '--spec', spec, '--out', out, '--job', 'gpu-job'], {
      env: { LDAM_BACKEND: 'tensorflow-gpu' },
    });
    expect(result.code).toBe(ExitCode.gpuUnavailable);
    expect(result.stderr).toMatch(/no usable GPU/);
    expect(result.stderr).toMatch(/GPU device nodes missing: \/dev\/nvidiactl/);
    expect(result.stderr).toMatch(/CUDA driver libcuda\.so\.1 cannot be loaded/);
    expect(result.stderr).toMatch(/@tensorflow\/tfjs-node-gpu did not load/);
    expect(existsSync(join(out, 'runs', 'gpu-job', 'reports', 'report.json'))).toBe(false);
    expect(existsSync(join(out, 'runs', 'gpu-job', 'run.json'))).toBe(false);
  });

  it('ldam gpu-check --no-gpu (the image build check) fails here: no CUDA libraries, no GPU package', async () => {
    const result = await runLdam(['gpu-check', '--no-gpu']);
    expect(result.code).toBe(ExitCode.gpuUnavailable);
    expect(result.stderr).toMatch(/CUDA library libcudart\.so\.11\.0 cannot be loaded/);
    expect(result.stderr).not.toMatch(/device nodes|libcuda\.so\.1/);
  });
});
