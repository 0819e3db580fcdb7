import * as tf from '@tensorflow/tfjs';

// Batch normalisation in training mode with batch statistics, over every axis but the last
// (Ioffe & Szegedy 2015, Alg. 1 and its backward pass). A backend may register two kernels under
// these names (the onednn backend does); elsewhere the same math runs as stock tfjs ops.

/**
 * Inputs {x, scale, offset[, residual]}, attrs {epsilon, relu} → [y, mean, variance] (variance
 * biased); with `relu`, y = max(BN(x) + residual, 0), the residual optional.
 */
export const batchNormTrainingKernelName = 'LdamBatchNormTraining';
/**
 * Inputs {dy, x, scale, mean, variance[, y]}, attrs {epsilon, relu, residual} → [dx, dscale,
 * doffset[, dresidual]]; with `relu`, y is the forward output (its ReLU mask).
 */
export const batchNormGradKernelName = 'LdamBatchNormTrainingGrad';

/** What follows the normalisation in the same op: a ReLU, after adding a residual or not. */
export interface BatchNormEpilogue {
  readonly relu?: boolean;
  /** Added before the ReLU (a ResNet block's shortcut); needs `relu`. */
  readonly residual?: tf.Tensor;
}

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

function run(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): tf.Tensor[] {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

// The epilogue in stock ops: y = relu(bn + residual).
function stockEpilogue(bn: tf.Tensor, residual: tf.Tensor | undefined): tf.Tensor {
  return tf.relu(residual === undefined ? bn : tf.add(bn, residual));
}

/** The gradient through a ReLU from its output, as tfjs's own: dy · step(y) (step(0) = 0). */
function stockReluMask(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.mul(dy, tf.cast(tf.greater(y, 0), 'float32'));
}

interface Forward {
  readonly y: tf.Tensor;
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

function forward(
  native: boolean,
  inputs: { x: tf.Tensor; scale: tf.Tensor1D; offset: tf.Tensor1D; residual: tf.Tensor | undefined },
  epsilon: number,
  relu: boolean,
): Forward {
  const { x, scale, offset, residual } = inputs;
  if (native) {
    const named: tf.NamedTensorMap =
      residual === undefined ? { x, scale, offset } : { x, scale, offset, residual };
    const [y, mean, variance] = run(batchNormTrainingKernelName, named, { epsilon, relu }) as [
      tf.Tensor,
      tf.Tensor1D,
      tf.Tensor1D,
    ];
    return { y, mean, variance };
  }
  const [bn, mean, variance] = stockForward(x, scale, offset, epsilon) as [
    tf.Tensor,
    tf.Tensor1D,
    tf.Tensor1D,
  ];
  return { y: relu ? stockEpilogue(bn, residual) : bn, mean, variance };
}

function backward(
  native: boolean,
  dy: tf.Tensor,
  saved: tf.Tensor[],
  epsilon: number,
  epilogue: { relu: boolean; residual: boolean },
): tf.Tensor[] {
  const [x, scale, mean, variance, y] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor?];
  if (native) {
    const inputs: tf.NamedTensorMap = { dy, x, scale, mean, variance };
    if (epilogue.relu && y !== undefined) inputs.y = y;
    return run(batchNormGradKernelName, inputs, { epsilon, ...epilogue });
  }
  const masked = epilogue.relu && y !== undefined ? stockReluMask(dy, y) : dy;
  const grads = stockGrad(masked, [x, scale, mean, variance], epsilon);
  return epilogue.residual ? [...grads, masked] : grads;
}

/**
 * y = γ (x − μ_B)/√(σ²_B + ε) + β with the batch's statistics, differentiable in x, γ and β (and
 * the residual), optionally followed by max(y + residual, 0); the fused native kernels where the
 * active backend registers them, stock ops elsewhere.
 */
export function batchNormTraining(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
  epilogue: BatchNormEpilogue = {},
): BatchNormTrainingResult {
  const native = hasNativeBatchNorm();
  const relu = epilogue.relu === true;
  if (epilogue.residual !== undefined && !relu) throw new Error('batchNormTraining: a residual needs relu');
  const flags = { relu, residual: epilogue.residual !== undefined };
  let stats: tf.Tensor1D[] = [];
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [xs, g, b, residual] = args.slice(0, -1) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor?];
    const out = forward(native, { x: xs, scale: g, offset: b, residual }, epsilon, relu);
    // The output is saved only for its ReLU mask (the next layer keeps it anyway).
    save(relu ? [xs, g, out.mean, out.variance, out.y] : [xs, g, out.mean, out.variance]);
    stats = [tf.keep(out.mean), tf.keep(out.variance)];
    return {
      value: out.y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(native, dy, saved, epsilon, flags),
    };
  });
  const y =
    epilogue.residual === undefined
      ? normalise(x, scale, offset)
      : normalise(x, scale, offset, epilogue.residual);
  const [mean, variance] = stats as [tf.Tensor1D, tf.Tensor1D];
  return { y, mean, variance };
}
