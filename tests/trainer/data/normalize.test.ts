import { describe, expect, it } from 'vitest';
import { channelStats, gatherExamples, normalizeInPlace } from '../../../trainer/data/normalize.ts';

describe('gatherExamples', () => {
  it('copies the listed examples and scales bytes to [0, 1]', () => {
    const values = Uint8Array.from([0, 255, 51, 102, 204, 153]);
    expect(Array.from(gatherExamples(values, 2, [2, 0]))).toEqual([
      Math.fround(204 / 255),
      Math.fround(153 / 255),
      0,
      1,
    ]);
  });

  it('copies floats unscaled', () => {
    expect(Array.from(gatherExamples(Float32Array.from([1.5, -2, 3, 4]), 2, [1]))).toEqual([3, 4]);
  });
});

describe('per-channel statistics', () => {
  // Two channels, interleaved (NHWC): channel 0 = 1, 3; channel 1 = 10, 10.
  const values = Float32Array.from([1, 10, 3, 10]);

  it('computes mean and population std per channel, std 1 for a constant channel', () => {
    const stats = channelStats(values, 2);
    expect(stats.mean).toEqual([2, 10]);
    expect(stats.std).toEqual([1, 1]);
  });

  it('leaves the training set with mean 0 and std 1 per channel', () => {
    const data = Float32Array.from({ length: 300 }, (_, i) => (i % 3) * 5 + Math.sin(i) * (1 + (i % 3)));
    const stats = channelStats(data, 3);
    normalizeInPlace(data, stats);
    const after = channelStats(data, 3);
    for (let c = 0; c < 3; c++) {
      expect(after.mean[c]).toBeCloseTo(0, 5);
      expect(after.std[c]).toBeCloseTo(1, 5);
    }
  });

  it('applies the given statistics, not its own, to other splits', () => {
    const test = Float32Array.from([4, 12]);
    normalizeInPlace(test, { mean: [2, 10], std: [2, 4] });
    expect(Array.from(test)).toEqual([1, 0.5]);
  });
});
