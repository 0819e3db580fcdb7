// Post-hoc adjustments of a trained model's logits, each a per-class affine map z'_j = a_j·z_j + c_j
// applied at evaluation, so every τ of a sweep is scored in the same pass without re-training.

/** A linear classifier's ‖w_j‖² and b_j: all τ-normalisation needs of the head (stored beside the logits). */
export interface ClassifierHead {
  readonly squaredNorms: readonly number[];
  readonly bias: readonly number[] | null;
}

/** One adjusted view of the logits, keyed `<method>@<τ>`. */
export interface LogitAdjustment {
  readonly key: string;
  /** a_j; absent = 1. */
  readonly scale?: Float32Array;
  readonly offset: Float32Array;
}

export const posthocTauGrid = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;
/** τ when there is no validation split to choose on: 1, Menon et al.'s and Kang et al.'s default. */
export const fixedPosthocTau = 1;

export const adjustmentKey = (method: 'posthoc-la' | 'tau-norm', tau: number): string => `${method}@${tau}`;

/** Post-hoc logit adjustment: argmax_j z_j − τ·log π_j, π = training class frequencies (Menon et al. 2021, eq. 9). */
export function logitAdjustments(trainCounts: readonly number[]): LogitAdjustment[] {
  const total = trainCounts.reduce((a, b) => a + b, 0);
  const logPrior = trainCounts.map((n) => Math.log(n / total));
  return posthocTauGrid.map((tau) => ({
    key: adjustmentKey('posthoc-la', tau),
    offset: Float32Array.from(logPrior, (l) => -tau * l),
  }));
}

/**
 * τ-normalisation of a linear head: w̃_j = w_j / ‖w_j‖^τ, no bias (Kang et al. 2020, §4; their
 * code drops it), i.e. z'_j = (z_j − b_j) / ‖w_j‖^τ on the stored logits. `kernel` is [F × K].
 */
export function tauNormAdjustments(
  kernel: Float32Array,
  bias: Float32Array | null,
  numClasses: number,
): LogitAdjustment[] {
  return tauNormAdjustmentsOf(squaredColumnNorms(kernel, numClasses), bias);
}

/** ‖w_j‖² of each class column of an [F × K] kernel, in float64. */
export function squaredColumnNorms(kernel: Float32Array, numClasses: number): number[] {
  const features = kernel.length / numClasses;
  const norms = new Array<number>(numClasses).fill(0);
  for (let f = 0; f < features; f++)
    for (let j = 0; j < numClasses; j++)
      norms[j] = (norms[j] as number) + (kernel[f * numClasses + j] as number) ** 2;
  return norms;
}

/** τ-normalisation from the head's ‖w_j‖² and b_j (as stored beside the logits). */
export function tauNormAdjustmentsOf(
  squaredNorms: ArrayLike<number>,
  bias: ArrayLike<number> | null,
): LogitAdjustment[] {
  return posthocTauGrid.map((tau) => {
    const scale = Float32Array.from(squaredNorms, (sq) => Math.sqrt(sq) ** -tau);
    return {
      key: adjustmentKey('tau-norm', tau),
      scale,
      offset: Float32Array.from(scale, (a, j) => -a * (bias?.[j] ?? 0)),
    };
  });
}

/** The adjusted logits of a batch, row-major [N × K]. */
export function adjustLogits(
  logits: Float32Array,
  numClasses: number,
  adjustment: LogitAdjustment,
): Float32Array {
  const out = new Float32Array(logits.length);
  const { scale, offset } = adjustment;
  for (let i = 0; i < logits.length; i++) {
    const j = i % numClasses;
    out[i] = (logits[i] as number) * (scale === undefined ? 1 : (scale[j] as number)) + (offset[j] as number);
  }
  return out;
}
