import type { ChannelStats, ExampleValues } from './types.ts';

// uint8 sources are first scaled to [0, 1], as torchvision's ToTensor does before Normalize.
const byteScale = 1 / 255;

/** Copies the listed examples into a float array, scaling uint8 values to [0, 1]. */
export function gatherExamples(
  values: ExampleValues,
  exampleSize: number,
  indices: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(indices.length * exampleSize);
  const scale = values instanceof Uint8Array ? byteScale : 1;
  for (let n = 0; n < indices.length; n++) {
    const from = (indices[n] ?? 0) * exampleSize;
    const to = n * exampleSize;
    for (let i = 0; i < exampleSize; i++) out[to + i] = (values[from + i] ?? 0) * scale;
  }
  return out;
}

/** Mean and (population) standard deviation of each channel, the last axis of NHWC / N×features. */
export function channelStats(values: Float32Array, channels: number): ChannelStats {
  const sum = new Float64Array(channels);
  const sumSquares = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    const x = values[i] ?? 0;
    sum[c] = (sum[c] ?? 0) + x;
    sumSquares[c] = (sumSquares[c] ?? 0) + x * x;
  }
  const perChannel = values.length / channels;
  const mean = Array.from(sum, (s) => (perChannel > 0 ? s / perChannel : 0));
  const std = Array.from(sumSquares, (s, c) => {
    const m = mean[c] ?? 0;
    const variance = perChannel > 0 ? Math.max(0, s / perChannel - m * m) : 0;
    // A constant channel carries no information; dividing by 1 keeps it finite.
    return variance > 0 ? Math.sqrt(variance) : 1;
  });
  return { mean, std };
}

/** (x − mean_c) / std_c in place. */
export function normalizeInPlace(values: Float32Array, stats: ChannelStats): void {
  const channels = stats.mean.length;
  const mean = Float64Array.from(stats.mean);
  const inverseStd = Float64Array.from(stats.std, (s) => 1 / s);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    values[i] = ((values[i] ?? 0) - (mean[c] ?? 0)) * (inverseStd[c] ?? 1);
  }
}
