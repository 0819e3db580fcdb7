import * as tf from '@tensorflow/tfjs';

// Batch normalisation in training mode with batch statistics, over every axis but the last
// (Ioffe & Szegedy 2015, Alg. 1 and its backward pass). A backend may register two kernels under
// these names (the onednn backend does); elsewhere the same math runs as stock tfjs ops.

/** Inputs {x, scale, offset}, attrs {epsilon} → [y, mean, variance] (variance biased). */
export const batchNormTrainingKernelName = 'LdamBatchNormTraining';
/** Inputs {dy, x, scale, mean, variance}, attrs {epsilon} → [dx, dscale, doffset]. */
export const batchNormGradKernelName = 'LdamBatchNormTrainingGrad';

export interface BatchNormTrainingResult {
  readonly y: tf.Tensor;
  /** Batch statistics, kept out of tidy scopes: the caller disposes them. */
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

/** True when the active backend has the fused kernels. */
export function hasNativeBatchNorm(): boolean {
  const backend = tf.getBackend();
  return (
    tf.getKernel(batchNormTrainingKernelName, backend) !== undefined &&
    tf.getKernel(batchNormGradKernelName, backend) !== undefined
  );
}

function reductionAxes(x: tf.Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i);
}

function stockForward(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, epsilon: number): tf.Tensor[] {
  const { mean, variance } = tf.moments(x, reductionAxes(x));
  return [tf.batchNorm(x, mean, variance, offset, scale, epsilon), mean, variance];
}

// dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy·x̂)), dγ = Σ dy·x̂, dβ = Σ dy, with σ = √(var + ε).
function stockGrad(dy: tf.Tensor, saved: tf.Tensor[], epsilon: number): tf.Tensor[] {
  const [x, scale, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const axes = reductionAxes(x);
  const count = x.size / (x.shape[x.rank - 1] ?? 1);
  const invStd = tf.rsqrt(tf.add(variance, epsilon));
  const xHat = tf.mul(tf.sub(x, mean), invStd);
  const dOffset = tf.sum(dy, axes);
  const dScale = tf.sum(tf.mul(dy, xHat), axes);
  const centred = tf.sub(tf.sub(dy, tf.div(dOffset, count)), tf.mul(xHat, tf.div(dScale, count)));
  return [tf.mul(tf.mul(scale, invStd), centred), dScale, dOffset];
}

function run(name: string, inputs: tf.NamedTensorMap, epsilon: number): tf.Tensor[] {
  return tf.engine().runKernel(name, inputs, { epsilon }) as unknown as tf.Tensor[];
}

/**
 * y = γ (x − μ_B)/√(σ²_B + ε) + β with the batch's statistics, differentiable in x, γ and β; the
 * fused native kernels where the active backend registers them, stock ops elsewhere.
 */
export function batchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
): BatchNormTrainingResult {
  const native = hasNativeBatchNorm();
  let stats: tf.Tensor1D[] = [];
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance] = (
      native
        ? run(batchNormTrainingKernelName, { x: xs, scale: g, offset: b }, epsilon)
        : stockForward(xs, g, b, epsilon)
    ) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    save([xs, g, mean, variance]);
    stats = [tf.keep(mean), tf.keep(variance)];
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        if (!native) return stockGrad(dy, saved, epsilon);
        const [sx, sScale, sMean, sVariance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return run(
          batchNormGradKernelName,
          { dy, x: sx, scale: sScale, mean: sMean, variance: sVariance },
          epsilon,
        );
      },
    };
  });
  const y = normalise(x, scale, offset);
  const [mean, variance] = stats as [tf.Tensor1D, tf.Tensor1D];
  return { y, mean, variance };
}
