// The probes against this machine's real loader, a real directory standing in for /dev, and the
// real tfjs cpu backend (there is no GPU here: the GPU answers are covered by check.test.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDeviceNodes, probeLibrary, probeTensorflow } from '../../../../trainer/engine/gpu/probes.ts';

let dev: string;
beforeAll(async () => {
  dev = await mkdtemp(join(tmpdir(), 'ldam-dev-'));
});
afterAll(async () => {
  await rm(dev, { recursive: true, force: true });
});

describe('GPU probes (this machine: no GPU)', () => {
  it('resolves a library the loader can open and names why another cannot be opened', () => {
    expect(probeLibrary('libc.so.6')).toEqual({ name: 'libc.so.6' });
    const missing = probeLibrary('libcuda-not-here.so.1');
    expect(missing.error).toMatch(/libcuda-not-here\.so\.1: cannot open shared object file/);
  });

  it('lists the NVIDIA device nodes, present or not', async () => {
    expect(await probeDeviceNodes(dev)).toEqual([
      { path: join(dev, 'nvidiactl'), present: false },
      { path: join(dev, 'nvidia-uvm'), present: false },
      { path: join(dev, 'nvidia0'), present: false },
    ]);
    for (const name of ['nvidiactl', 'nvidia-uvm', 'nvidia0', 'nvidia1'])
      await writeFile(join(dev, name), '');
    expect((await probeDeviceNodes(dev)).map((n) => [n.path.slice(dev.length + 1), n.present])).toEqual([
      ['nvidiactl', true],
      ['nvidia-uvm', true],
      ['nvidia0', true],
      ['nvidia1', true],
    ]);
  });

  it('reads a non-tfjs-node backend as neither the GPU package nor a GPU device, and runs the op', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const facts = await probeTensorflow();
    expect(facts).toMatchObject({ gpuPackage: false, gpuDevice: false, op: { ok: true } });
    expect(tf.memory().numTensors).toBe(before);
  });
});
