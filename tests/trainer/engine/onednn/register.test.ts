import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelNames } from '../../../../trainer/engine/onednn/index.ts';
import { onednnBuilt, prepareOnednn } from './on-onednn.ts';

describe.skipIf(!onednnBuilt)('onednn kernel registry', () => {
  beforeAll(prepareOnednn);

  it('registers the native kernels on onednn, not the cpu ones they fall back to', () => {
    const names = nativeKernelNames();
    for (const name of [
      'Conv2D',
      'FusedConv2D',
      'Conv2DBackpropInput',
      'Conv2DBackpropFilter',
      'BatchMatMul',
    ]) {
      expect(names).toContain(name);
    }
    for (const name of ['_FusedMatMul', 'Relu', 'Add', 'Multiply', 'MaxPool', 'MaxPoolGrad', 'AvgPoolGrad']) {
      expect(names).toContain(name);
    }
    for (const name of ['Slice', 'PadV2', 'Sum', 'Mean', 'FusedBatchNorm', 'LdamBatchNormTraining']) {
      expect(names).toContain(name);
    }
    for (const name of names) {
      const registered = tf.getKernel(name, 'onednn');
      expect(registered, name).toBeDefined();
      expect(registered?.kernelFunc, name).not.toBe(tf.getKernel(name, 'cpu')?.kernelFunc);
    }
  });

  it('runs every other cpu kernel on onednn too', () => {
    const onednn = new Set(tf.getKernelsForBackend('onednn').map((k) => k.kernelName));
    const missing = tf.getKernelsForBackend('cpu').filter((k) => !onednn.has(k.kernelName));
    expect(missing.map((k) => k.kernelName)).toEqual([]);
  });
});
