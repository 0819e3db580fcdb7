import { describe, expect, it } from 'vitest';
import { DataError } from '../../../trainer/data/errors.ts';
import { capPerClass, planSubsample } from '../../../trainer/data/imbalance.ts';

/** A balanced pool: `perClass` examples of each class, interleaved. */
const pool = (numClasses: number, perClass: number) =>
  Int32Array.from({ length: numClasses * perClass }, (_, i) => i % numClasses);

const countsOf = (labels: Int32Array, indices: Int32Array, numClasses: number) => {
  const counts = new Array<number>(numClasses).fill(0);
  for (const i of indices) {
    const k = labels[i] ?? 0;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
};

describe('planSubsample', () => {
  const labels = pool(10, 60);

  it('keeps n_i = ⌊n_max·ρ^(−i/(K−1))⌋ images of class i (exp profile)', () => {
    const plan = planSubsample({ labels, numClasses: 10, seed: 0, imbalance: { type: 'exp', ratio: 10 } });
    const expected = Array.from({ length: 10 }, (_, i) => Math.floor(60 * 10 ** (-i / 9)));
    expect(plan.classCounts).toEqual(expected);
    expect(countsOf(labels, plan.train, 10)).toEqual(expected);
    expect(plan.maxPerClass).toBe(60);
  });

  it('caps n_max with maxPerClass and applies the step profile', () => {
    const plan = planSubsample({
      labels,
      numClasses: 10,
      seed: 0,
      imbalance: { type: 'step', ratio: 5 },
      maxPerClass: 40,
    });
    expect(countsOf(labels, plan.train, 10)).toEqual([40, 40, 40, 40, 40, 8, 8, 8, 8, 8]);
  });

  it('keeps everything (up to the cap) with no imbalance', () => {
    const plan = planSubsample({
      labels,
      numClasses: 10,
      seed: 0,
      imbalance: { type: 'none', ratio: 100 },
      maxPerClass: 25,
    });
    expect(plan.train.length).toBe(250);
  });

  it('picks the same images for the same seed and different ones for another', () => {
    const spec = { labels, numClasses: 10, imbalance: { type: 'exp', ratio: 10 } } as const;
    const a = planSubsample({ ...spec, seed: 7 });
    const b = planSubsample({ ...spec, seed: 7 });
    const c = planSubsample({ ...spec, seed: 8 });
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.train)).not.toEqual(Array.from(c.train));
    expect(a.classCounts).toEqual(c.classCounts);
  });

  it('returns ascending, distinct indices', () => {
    const { train } = planSubsample({
      labels,
      numClasses: 10,
      seed: 3,
      imbalance: { type: 'exp', ratio: 10 },
    });
    expect(new Set(train).size).toBe(train.length);
    expect(train.every((v, i) => i === 0 || v > (train[i - 1] ?? -1))).toBe(true);
  });

  it('draws a balanced validation split first, disjoint from training', () => {
    const plan = planSubsample({
      labels,
      numClasses: 10,
      seed: 1,
      imbalance: { type: 'exp', ratio: 10 },
      validationPerClass: 5,
    });
    const validation = plan.validation ?? new Int32Array();
    expect(countsOf(labels, validation, 10)).toEqual(new Array(10).fill(5));
    const train = new Set(plan.train);
    expect(Array.from(validation).filter((i) => train.has(i))).toEqual([]);
    // n_max is what the pool has left after validation.
    expect(plan.classCounts[0]).toBe(55);
  });

  it('takes n_max from the smallest class of an uneven pool', () => {
    const uneven = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2]);
    const plan = planSubsample({
      labels: uneven,
      numClasses: 3,
      seed: 0,
      imbalance: { type: 'exp', ratio: 3 },
    });
    expect(plan.classCounts).toEqual([3, 1, 1]);
  });

  it('rejects a class with no images, naming it', () => {
    const missing = Int32Array.from([0, 0, 2, 2]);
    expect(() =>
      planSubsample({
        labels: missing,
        numClasses: 3,
        seed: 0,
        imbalance: { type: 'exp', ratio: 2 },
        classNames: ['a', 'b', 'c'],
      }),
    ).toThrow("training set: class 1 ('b') has no images");
  });

  it('rejects a validation split that would leave a class empty', () => {
    const call = () =>
      planSubsample({
        labels: pool(2, 3),
        numClasses: 2,
        seed: 0,
        imbalance: { type: 'exp', ratio: 2 },
        validationPerClass: 3,
      });
    expect(call).toThrow(DataError);
    expect(call).toThrow(/none left for training after taking 3 for validation/);
  });
});

describe('capPerClass', () => {
  const labels = pool(4, 10);

  it('keeps the test set whole without a cap', () => {
    expect(capPerClass(labels, 4, undefined, 0).length).toBe(40);
  });

  it('keeps it balanced and seeded under a cap', () => {
    const a = capPerClass(labels, 4, 3, 11);
    expect(countsOf(labels, a, 4)).toEqual([3, 3, 3, 3]);
    expect(Array.from(capPerClass(labels, 4, 3, 11))).toEqual(Array.from(a));
    expect(Array.from(capPerClass(labels, 4, 3, 12))).not.toEqual(Array.from(a));
  });

  it('rejects a class absent from the test set', () => {
    expect(() => capPerClass(Int32Array.from([0, 1, 3]), 4, undefined, 0)).toThrow(
      'test set: class 2 has no images',
    );
  });
});
