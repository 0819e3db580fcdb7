import { existsSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  type BackendLoader,
  type BackendPreference,
  BackendUnavailableError,
  backendOrder,
  selectBackend,
  selectionOf,
  wasmBinaryDirectory,
} from '../../../trainer/engine/backend.ts';

// Stand-in loaders: each backend loads or fails as the test says, whatever this machine has.
function loaders(loads: Partial<Record<BackendPreference, string>>) {
  const calls: BackendPreference[] = [];
  const loader =
    (name: BackendPreference): BackendLoader =>
    async () => {
      calls.push(name);
      const device = loads[name];
      if (device === undefined) throw new Error(`Cannot find package '${name}'`);
      return {
        backend: name === 'tensorflow-gpu' ? 'tensorflow' : name,
        device,
      };
    };
  const table = {
    'tensorflow-gpu': loader('tensorflow-gpu'),
    tensorflow: loader('tensorflow'),
    wasm: loader('wasm'),
    cpu: loader('cpu'),
  };
  return { table, calls };
}

describe('backend selection rule (pure)', () => {
  it('tries every preference in order by default, exactly the requested one otherwise', () => {
    expect(backendOrder(undefined)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    expect(backendOrder('cpu')).toEqual(['cpu']);
    expect(() => backendOrder('webgpu')).toThrow(
      /unknown backend 'webgpu'.*tensorflow-gpu, tensorflow, wasm, cpu/,
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

describe('selectBackend (stand-in loaders)', () => {
  it('stops at the first backend that loads, recording the failures before it', async () => {
    const { table, calls } = loaders({ wasm: 'cpu (wasm simd)', cpu: 'cpu (js)' });
    const selected = await selectBackend(undefined, {}, table);
    expect(calls).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(selected.backend).toBe('wasm');
    expect(selected.tried.map((t) => [t.name, t.ok])).toEqual([
      ['tensorflow-gpu', false],
      ['tensorflow', false],
      ['wasm', true],
    ]);
    expect(selected.tried[0]?.reason).toContain('tensorflow-gpu');
  });

  it('takes the GPU package first where it loads (the GPU image)', async () => {
    const { table, calls } = loaders({ 'tensorflow-gpu': 'gpu', wasm: 'cpu (wasm simd)' });
    expect(await selectBackend(undefined, {}, table)).toMatchObject({ backend: 'tensorflow', device: 'gpu' });
    expect(calls).toEqual(['tensorflow-gpu']);
  });

  it('honours LDAM_BACKEND, and an explicit argument wins over it', async () => {
    const { table, calls } = loaders({ wasm: 'cpu (wasm simd)', cpu: 'cpu (js)' });
    expect((await selectBackend(undefined, { LDAM_BACKEND: 'cpu' }, table)).backend).toBe('cpu');
    expect((await selectBackend('wasm', { LDAM_BACKEND: 'cpu' }, table)).backend).toBe('wasm');
    expect(calls).toEqual(['cpu', 'wasm']);
  });

  it('fails clearly when the requested backend cannot load, without falling back', async () => {
    const { table, calls } = loaders({ wasm: 'cpu (wasm simd)' });
    await expect(selectBackend(undefined, { LDAM_BACKEND: 'tensorflow-gpu' }, table)).rejects.toThrow(
      /backend 'tensorflow-gpu' could not be loaded.*tensorflow-gpu/,
    );
    expect(calls).toEqual(['tensorflow-gpu']);
  });
});

describe('selectBackend (this machine)', () => {
  it('activates a backend that computes, whichever loads here', async () => {
    const selected = await selectBackend(undefined, {});
    expect(selected.tried.at(-1)).toMatchObject({ name: expect.any(String), ok: true });
    expect(tf.getBackend()).toBe(selected.backend);
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).arraySync());
    expect(sum).toEqual([4, 6]);
  });

  it('activates the real wasm and cpu backends when asked', async () => {
    expect(await selectBackend('cpu', {})).toMatchObject({ backend: 'cpu', device: 'cpu (js)' });
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend('wasm', {})).device).toMatch(/^cpu \(wasm/);
    expect(tf.getBackend()).toBe('wasm');
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
