import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { batchNormGradKernelName, batchNormTrainingKernelName } from '../../../models/batch-norm-kernels.ts';
import { onednn } from '../addon.ts';
import type { OnednnBackend } from '../backend.ts';
import { allFloat32, input, nativeKernel, sizeOf } from './shared.ts';

/** Channels-last x as oneDNN's [batch, spatial, C]. */
function shapeOf(x: TensorInfo): [number, number, number] {
  const c = x.shape[x.shape.length - 1] ?? 1;
  const batch = x.shape.length > 1 ? (x.shape[0] ?? 1) : 1;
  return [batch, sizeOf(x.shape) / (batch * c), c];
}

function vector(backend: OnednnBackend, info: TensorInfo | undefined, c: number, fill: number): Float32Array {
  if (info !== undefined) return backend.valuesOf(info);
  return new Float32Array(c).fill(fill);
}

// Training forward with batch statistics: [y, mean, variance] (variance biased, as tf.moments).
// This kernel and its gradient are the project's own (no stock cpu kernel to hand off to), so
// operands not stored as float32 are read through a float32 copy.
// With attrs.relu the ReLU (after adding inputs.residual, if given) runs in the same call.
const trainingKernel = nativeKernel(batchNormTrainingKernelName, (inputs, backend, attrs) => {
  const x = input(inputs, 'x');
  const scale = input(inputs, 'scale');
  const offset = input(inputs, 'offset');
  const { residual } = inputs;
  const shape = shapeOf(x);
  const c = shape[2];
  const y = backend.buffer(x.shape);
  const mean = backend.buffer([c]);
  const variance = backend.buffer([c]);
  onednn().batchNormTrain(
    shape,
    attrs.epsilon as number,
    backend.float32ValuesOf(x),
    backend.float32ValuesOf(scale),
    backend.float32ValuesOf(offset),
    y,
    mean,
    variance,
    residual === undefined ? null : backend.float32ValuesOf(residual),
    attrs.relu === true,
  );
  return [backend.output(y, x.shape), backend.output(mean, [c]), backend.output(variance, [c])];
});

// Its gradient given the batch statistics: [dx, dscale, doffset], and with attrs.relu (inputs.y the
// forward output) through the ReLU first; that masked dy is also the residual's gradient, the
// fourth output when attrs.residual, else a scratch buffer handed back to the pool.
const gradKernel = nativeKernel(batchNormGradKernelName, (inputs, backend, attrs) => {
  const dy = input(inputs, 'dy');
  const x = input(inputs, 'x');
  const scale = input(inputs, 'scale');
  const mean = input(inputs, 'mean');
  const variance = input(inputs, 'variance');
  const relu = attrs.relu === true;
  const y = relu ? input(inputs, 'y') : undefined;
  const shape = shapeOf(x);
  const c = shape[2];
  const dx = backend.buffer(x.shape);
  const dscale = backend.buffer([c]);
  const doffset = backend.buffer([c]);
  const masked = relu ? backend.buffer(x.shape) : null;
  onednn().batchNormTrainGrad(
    shape,
    attrs.epsilon as number,
    backend.float32ValuesOf(dy),
    backend.float32ValuesOf(x),
    backend.float32ValuesOf(scale),
    backend.float32ValuesOf(mean),
    backend.float32ValuesOf(variance),
    dx,
    dscale,
    doffset,
    y === undefined ? null : backend.float32ValuesOf(y),
    masked,
  );
  const outputs = [backend.output(dx, x.shape), backend.output(dscale, [c]), backend.output(doffset, [c])];
  if (masked === null) return outputs;
  if (attrs.residual === true) return [...outputs, backend.output(masked, x.shape)];
  backend.recycle(masked);
  return outputs;
});

// tfjs's FusedBatchNorm (given statistics, as in inference): native when every vector is per channel.
const inferenceKernel = nativeKernel(tf.FusedBatchNorm, (inputs, backend, attrs) => {
  const x = input(inputs, 'x');
  const mean = input(inputs, 'mean');
  const variance = input(inputs, 'variance');
  const { scale, offset } = inputs;
  if (!allFloat32(backend, x, mean, variance, scale, offset)) return undefined;
  const shape = shapeOf(x);
  const c = shape[2];
  const perChannel = [mean, variance, scale, offset].every((v) => v === undefined || sizeOf(v.shape) === c);
  if (!perChannel) return undefined;
  const y = backend.buffer(x.shape);
  onednn().batchNormInfer(
    shape,
    (attrs.varianceEpsilon as number | undefined) ?? 0.001,
    backend.valuesOf(x),
    backend.valuesOf(mean),
    backend.valuesOf(variance),
    vector(backend, scale, c, 1),
    vector(backend, offset, c, 0),
    y,
  );
  return backend.output(y, x.shape);
});

export const batchNormKernels: readonly KernelConfig[] = [trainingKernel, gradKernel, inferenceKernel];
