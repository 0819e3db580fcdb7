import { describe, expect, it } from 'vitest';
import { makeSyntheticDataset, syntheticClassMeans } from '../../../trainer/data/synthetic.ts';
import { createRng } from '../../../trainer/random/rng.ts';

const distance = (a: Float64Array, b: Float64Array) =>
  Math.sqrt(a.reduce((s, x, i) => s + (x - (b[i] ?? 0)) ** 2, 0));

describe('synthetic Gaussian blobs', () => {
  it('places every pair of class means `separation` apart', () => {
    const means = syntheticClassMeans(12, 5, 3, createRng(1));
    for (let i = 0; i < 5; i++)
      for (let j = i + 1; j < 5; j++)
        expect(distance(means[i] as Float64Array, means[j] as Float64Array)).toBeCloseTo(3, 9);
  });

  it('makes balanced splits of the requested image shape', () => {
    const data = makeSyntheticDataset({
      shape: [4, 4, 2],
      numClasses: 3,
      separation: 2,
      trainPerClass: 5,
      testPerClass: 2,
      seed: 9,
    });
    expect(data.exampleShape).toEqual([4, 4, 2]);
    expect(data.train.count).toBe(15);
    expect(data.train.values.length).toBe(15 * 32);
    expect(data.test.count).toBe(6);
    expect([0, 1, 2].map((k) => data.train.labels.filter((l) => l === k).length)).toEqual([5, 5, 5]);
  });

  it('is determined by its seed', () => {
    const options = { shape: [6], numClasses: 2, separation: 3, trainPerClass: 4, testPerClass: 1 };
    const a = makeSyntheticDataset({ ...options, seed: 5 });
    const b = makeSyntheticDataset({ ...options, seed: 5 });
    const c = makeSyntheticDataset({ ...options, seed: 6 });
    expect(Array.from(a.train.values)).toEqual(Array.from(b.train.values));
    expect(Array.from(a.train.values)).not.toEqual(Array.from(c.train.values));
  });

  it('scatters samples around class means `separation` apart with unit noise', () => {
    const data = makeSyntheticDataset({
      shape: [3],
      numClasses: 2,
      separation: 10,
      trainPerClass: 2000,
      testPerClass: 1,
      seed: 3,
    });
    const { values, labels, count } = data.train;
    const mean = [new Float64Array(3), new Float64Array(3)];
    for (let n = 0; n < count; n++) {
      const classMean = mean[labels[n] ?? 0] ?? new Float64Array(3);
      for (let i = 0; i < 3; i++) classMean[i] = (classMean[i] ?? 0) + (values[3 * n + i] ?? 0) / 2000;
    }
    let sumSquares = 0;
    for (let n = 0; n < count; n++)
      for (let i = 0; i < 3; i++)
        sumSquares += ((values[3 * n + i] ?? 0) - (mean[labels[n] ?? 0]?.[i] ?? 0)) ** 2;
    expect(sumSquares / (count * 3)).toBeCloseTo(1, 1);
    expect(distance(mean[0] as Float64Array, mean[1] as Float64Array)).toBeCloseTo(10, 0);
  });
});
