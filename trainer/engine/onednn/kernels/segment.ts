import type { KernelConfig } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { segmentSumInto } from '../../kernels/unsorted-segment-sum.ts';
import { allFloat32, input, nativeKernel, sizeOf } from './shared.ts';

// UnsortedSegmentSum is the gradient of gather (tfjs-core GatherV2_grad), so of every embedding
// layer. tfjs's cpu kernel runs five ops per segment over the whole input (O(vocabulary × batch);
// 0.1-0.2 s per call for the BiLSTM's 128-row embedding at batch 8); this is one scatter-add pass.

export const unsortedSegmentSumKernel = nativeKernel(tf.UnsortedSegmentSum, (inputs, backend, attrs) => {
  const x = input(inputs, 'x');
  const segmentIds = input(inputs, 'segmentIds');
  if (!allFloat32(backend, x) || segmentIds.dtype !== 'int32') return undefined;
  const numSegments = attrs.numSegments as number;
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const shape = [numSegments, ...innerShape];
  const out = backend.buffer(shape);
  out.fill(0);
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  segmentSumInto(backend.valuesOf(x), ids, sizeOf(innerShape), numSegments, out);
  return backend.output(out, shape);
});

export const segmentKernels: readonly KernelConfig[] = [unsortedSegmentSumKernel];
