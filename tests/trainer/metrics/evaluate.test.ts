import { describe, expect, it } from 'vitest';
import { evaluatePredictions, shotGroupOf } from '../../../trainer/metrics/index.ts';

const i32 = (xs: number[]): Int32Array => Int32Array.from(xs);

describe('evaluatePredictions', () => {
  // Class 0: 4 images, 1 wrong; class 1: 2 images, 1 wrong; class 2: 2 images, both wrong.
  const labels = i32([0, 0, 0, 0, 1, 1, 2, 2]);
  const predictions = i32([0, 0, 0, 1, 1, 0, 0, 1]);
  const result = evaluatePredictions({ labels, predictions, numClasses: 3, trainCounts: [500, 50, 5] });

  it('counts a confusion matrix of [true][predicted]', () => {
    expect(result.confusion).toEqual([
      [3, 1, 0],
      [1, 1, 0],
      [1, 1, 0],
    ]);
    expect(result.perClassCount).toEqual([4, 2, 2]);
  });

  it('gives top-1 error over images and balanced error over classes', () => {
    expect(result.top1Error).toBeCloseTo(4 / 8, 12);
    expect(result.perClassError).toEqual([0.25, 0.5, 1]);
    expect(result.balancedError).toBeCloseTo((0.25 + 0.5 + 1) / 3, 12);
  });

  it('splits classes into many/medium/few by their training images', () => {
    expect(result.groups).toEqual({
      many: { error: 0.25, classes: 1 },
      medium: { error: 0.5, classes: 1 },
      few: { error: 1, classes: 1 },
    });
  });

  it('reports an empty group as null error and 0 classes', () => {
    const r = evaluatePredictions({
      labels: i32([0, 1, 1]),
      predictions: i32([0, 0, 1]),
      numClasses: 2,
      trainCounts: [1000, 150],
    });
    expect(r.groups.medium).toEqual({ error: null, classes: 0 });
    expect(r.groups.few).toEqual({ error: null, classes: 0 });
    expect(r.groups.many).toEqual({ error: 0.25, classes: 2 });
  });

  it('leaves a class without evaluation images out of the balanced error', () => {
    const r = evaluatePredictions({
      labels: i32([0, 0, 2]),
      predictions: i32([0, 2, 2]),
      numClasses: 3,
      trainCounts: [10, 10, 10],
    });
    expect(r.perClassError).toEqual([0.5, null, 0]);
    expect(r.balancedError).toBeCloseTo(0.25, 12);
    expect(r.groups.few).toEqual({ error: 0.25, classes: 3 });
  });

  it('rejects mismatched lengths, out-of-range classes and empty sets', () => {
    const base = { numClasses: 2, trainCounts: [5, 5] };
    expect(() => evaluatePredictions({ ...base, labels: i32([0]), predictions: i32([0, 1]) })).toThrow(
      /1 labels/,
    );
    expect(() => evaluatePredictions({ ...base, labels: i32([2]), predictions: i32([0]) })).toThrow(
      /label 2/,
    );
    expect(() => evaluatePredictions({ ...base, labels: i32([1]), predictions: i32([-1]) })).toThrow(
      /prediction -1/,
    );
    expect(() => evaluatePredictions({ ...base, labels: i32([]), predictions: i32([]) })).toThrow(/nothing/);
    expect(() =>
      evaluatePredictions({ ...base, trainCounts: [5], labels: i32([0]), predictions: i32([0]) }),
    ).toThrow(/train counts/);
  });
});

describe('shotGroupOf', () => {
  it('uses many > 100, medium 20–100, few < 20', () => {
    expect([101, 100, 20, 19, 1].map(shotGroupOf)).toEqual(['many', 'medium', 'medium', 'few', 'few']);
  });
});
