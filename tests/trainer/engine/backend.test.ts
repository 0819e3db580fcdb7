import { existsSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  selectBackend,
  wasmBinaryDirectory,
} from '../../../trainer/engine/backend.ts';

// tfjs-node(-gpu) cannot be installed on this machine, so the default order lands on wasm.
describe('selectBackend', () => {
  it('picks wasm by default here, after trying the tfjs-node packages, and can compute', async () => {
    const selected = await selectBackend(undefined, {});
    expect(selected.backend).toBe('wasm');
    expect(selected.device).toMatch(/^cpu \(wasm/);
    expect(selected.tried.map((t) => [t.name, t.ok])).toEqual([
      ['tensorflow-gpu', false],
      ['tensorflow', false],
      ['wasm', true],
    ]);
    expect(selected.tried[0]?.reason).toContain('@tensorflow/tfjs-node-gpu');
    expect(tf.getBackend()).toBe('wasm');
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).arraySync());
    expect(sum).toEqual([4, 6]);
  });

  it('honours LDAM_BACKEND=cpu', async () => {
    const selected = await selectBackend(undefined, { LDAM_BACKEND: 'cpu' });
    expect(selected).toMatchObject({ backend: 'cpu', device: 'cpu (js)' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('lets an explicit argument win over the environment', async () => {
    const selected = await selectBackend('wasm', { LDAM_BACKEND: 'cpu' });
    expect(selected.backend).toBe('wasm');
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
      /unknown backend 'webgpu'.*tensorflow-gpu, tensorflow, wasm, cpu/,
    );
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
