import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  backendOrder,
  selectBackend,
  selectionOf,
  wasmBinaryDirectory,
} from '../../../trainer/engine/backend.ts';
import { onednnThreads } from '../../../trainer/engine/onednn/index.ts';
import { onednnBuilt } from './onednn/on-onednn.ts';

const missingAddon = { LDAM_ONEDNN_ADDON: join(tmpdir(), 'no-such-dir', 'ldam_onednn.node') };

// tfjs-node(-gpu) cannot be installed on this machine, so the default order lands on onednn when
// its addon is built, else on wasm.
describe('selectBackend', () => {
  it.skipIf(!onednnBuilt)('picks onednn when asked, reporting ISA and threads', async () => {
    const selected = await selectBackend(undefined, { LDAM_BACKEND: 'onednn', LDAM_THREADS: '1' });
    expect(selected.tried.map((t) => [t.name, t.ok])).toEqual([['onednn', true]]);
    expect(selected).toMatchObject({ backend: 'onednn', threads: 1 });
    expect(selected.isa).toMatch(/^(sse41|avx|avx2|avx512)/);
    expect(selected.device).toMatch(/^cpu \(onednn 2\.\d+\.\d+ \w+, 1 threads\)$/);
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).arraySync());
    expect(product).toEqual([[11]]);
  });

  it.skipIf(!onednnBuilt)('picks onednn by default where the addon is built', async () => {
    const selected = await selectBackend(undefined, { LDAM_THREADS: '1' });
    expect(selected.backend).toBe('onednn');
    expect(selected.tried.map((t) => [t.name, t.ok])).toEqual([
      ['tensorflow-gpu', false],
      ['tensorflow', false],
      ['onednn', true],
    ]);
    expect(tf.getBackend()).toBe('onednn');
  });

  it('falls through a missing onednn addon to wasm, keeping the reason in tried', async () => {
    await expect(selectBackend('onednn', missingAddon)).rejects.toThrow(
      /oneDNN addon not built .*no-such-dir.*scripts\/setup\.sh/,
    );
    const selected = await selectBackend(undefined, missingAddon);
    expect(selected.backend).toBe('wasm');
    expect(selected.tried.map((t) => [t.name, t.ok])).toEqual([
      ['tensorflow-gpu', false],
      ['tensorflow', false],
      ['onednn', false],
      ['wasm', true],
    ]);
    expect(selected.tried[0]?.reason).toContain('@tensorflow/tfjs-node-gpu');
    expect(selected.tried[2]?.reason).toMatch(/oneDNN addon not built .*no-such-dir/);
    expect(tf.getBackend()).toBe('wasm');
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).arraySync());
    expect(sum).toEqual([4, 6]);
  });

  it('falls through an onednn addon that cannot be loaded to wasm, keeping the reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ldam-addon-'));
    try {
      const broken = join(dir, 'ldam_onednn.node');
      await writeFile(broken, 'not a shared object');
      const selected = await selectBackend(undefined, { LDAM_ONEDNN_ADDON: broken });
      expect(selected.backend).toBe('wasm');
      const onednn = selected.tried.find((t) => t.name === 'onednn');
      expect(onednn?.ok).toBe(false);
      expect(onednn?.reason).toContain('ldam_onednn.node');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('activates the real wasm and cpu backends when asked', async () => {
    expect(await selectBackend('cpu', {})).toMatchObject({ backend: 'cpu', device: 'cpu (js)' });
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend('wasm', {})).device).toMatch(/^cpu \(wasm/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('fails clearly when the requested tensorflow-gpu backend cannot load', async () => {
    const failure = selectBackend('tensorflow-gpu', {});
    await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(selectBackend(undefined, { LDAM_BACKEND: 'tensorflow-gpu' })).rejects.toThrow(
      /backend 'tensorflow-gpu' could not be loaded.*@tensorflow\/tfjs-node-gpu/,
    );
  });

  it('rejects an unknown backend name, listing the valid ones', async () => {
    await expect(selectBackend('webgpu', {})).rejects.toThrow(
      /unknown backend 'webgpu'.*tensorflow-gpu, tensorflow, onednn, wasm, cpu/,
    );
  });

  it('fails clearly when LDAM_BACKEND=onednn names an addon that cannot be loaded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ldam-addon-'));
    try {
      const broken = join(dir, 'ldam_onednn.node');
      await writeFile(broken, 'not a shared object');
      const failure = selectBackend(undefined, { LDAM_BACKEND: 'onednn', LDAM_ONEDNN_ADDON: broken });
      await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(failure).rejects.toThrow(
        /backend 'onednn' could not be loaded \(onednn: .*ldam_onednn\.node/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('onednnThreads', () => {
  it('takes LDAM_THREADS, else min(spec cpus, available parallelism)', () => {
    expect(onednnThreads({ LDAM_THREADS: '3' }, 1)).toBe(3);
    expect(onednnThreads({}, 1)).toBe(1);
    expect(onednnThreads({}, 4096)).toBeLessThan(4096);
    expect(onednnThreads({})).toBeGreaterThanOrEqual(1);
  });

  it('rejects a thread count that is not a positive integer, naming the variable', () => {
    for (const bad of ['0', '-2', '1.5', 'two']) {
      expect(() => onednnThreads({ LDAM_THREADS: bad })).toThrow(
        /LDAM_THREADS must be an integer from 1 to 1024/,
      );
    }
  });
});

describe('wasmBinaryDirectory', () => {
  it('is an absolute directory with a trailing separator holding the SIMD binary', () => {
    const dir = wasmBinaryDirectory();
    expect(isAbsolute(dir)).toBe(true);
    expect(dir.endsWith(sep)).toBe(true);
    expect(existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });
});

describe('backend selection rule (pure)', () => {
  it('tries every preference in order by default, exactly the requested one otherwise', () => {
    expect(backendOrder(undefined)).toEqual(['tensorflow-gpu', 'tensorflow', 'onednn', 'wasm', 'cpu']);
    expect(backendOrder('cpu')).toEqual(['cpu']);
    expect(() => backendOrder('webgpu')).toThrow(
      /unknown backend 'webgpu'.*tensorflow-gpu, tensorflow, onednn, wasm, cpu/,
    );
  });

  it('selects what loaded, keeping why the earlier ones did not', () => {
    const tried = [
      { name: 'tensorflow-gpu', ok: false, reason: 'no CUDA' },
      { name: 'wasm', ok: true },
    ] as const;
    expect(selectionOf(undefined, tried, { backend: 'wasm', device: 'cpu (wasm simd)' })).toEqual({
      backend: 'wasm',
      device: 'cpu (wasm simd)',
      tried,
    });
  });

  it('fails naming every backend and its reason when nothing loaded', () => {
    const tried = [
      { name: 'tensorflow-gpu', ok: false, reason: 'ERR_MODULE_NOT_FOUND: @tensorflow/tfjs-node-gpu' },
    ] as const;
    expect(() => selectionOf('tensorflow-gpu', tried, undefined)).toThrow(BackendUnavailableError);
    expect(() => selectionOf('tensorflow-gpu', tried, undefined)).toThrow(
      /backend 'tensorflow-gpu' could not be loaded \(tensorflow-gpu: ERR_MODULE_NOT_FOUND: @tensorflow\/tfjs-node-gpu\)/,
    );
    expect(() => selectionOf(undefined, [], undefined)).toThrow(/no tfjs backend could be loaded/);
  });
});
