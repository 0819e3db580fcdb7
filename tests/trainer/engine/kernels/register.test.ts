import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../../trainer/engine/backend.ts';
import { registerTrainingKernels, trainingKernelNames } from '../../../../trainer/engine/kernels/register.ts';

const cpuBefore = new Map<string, unknown>();

beforeAll(async () => {
  for (const name of [
    'Conv2DBackpropFilter',
    'Conv2DBackpropInput',
    'Transpose',
    'Sum',
    'Tile',
    'MaxPoolGrad',
  ]) {
    cpuBefore.set(name, tf.getKernel(name, 'cpu'));
  }
  await selectBackend('wasm', {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('registerTrainingKernels', () => {
  it('adds Conv2DBackpropFilter, which stock wasm lacks', () => {
    expect(trainingKernelNames()).toContain('Conv2DBackpropFilter');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('leaves the cpu kernels untouched', () => {
    for (const [name, kernel] of cpuBefore) expect(tf.getKernel(name, 'cpu')).toBe(kernel);
  });

  it('is idempotent and silent on repeat calls', () => {
    const warn = vi.spyOn(console, 'warn');
    const before = trainingKernelNames().map((name) => tf.getKernel(name, 'wasm'));
    registerTrainingKernels();
    registerTrainingKernels();
    // The very same registrations (a deep toEqual would also accept fresh copies of each config).
    const after = trainingKernelNames().map((name) => tf.getKernel(name, 'wasm'));
    for (const [i, kernel] of after.entries()) expect(kernel).toBe(before[i]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('keeps the stock setup of replaced kernels, so delegation works when registered before init', () => {
    // selectBackend registers before activating wasm: stock BatchMatMul must still have been set up.
    const product = tf.tidy(() =>
      tf
        .matMul(tf.ones([2, 3]), tf.ones([4, 3]), false, true)
        .sum()
        .arraySync(),
    );
    expect(product).toBe(24);
  });
});
