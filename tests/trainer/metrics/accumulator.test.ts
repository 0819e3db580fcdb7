import { describe, expect, it } from 'vitest';
import { EvaluationAccumulator, evaluateLogits } from '../../../trainer/metrics/index.ts';

const i32 = (xs: number[]): Int32Array => Int32Array.from(xs);
const f32 = (rows: number[][]): Float32Array => Float32Array.from(rows.flat());

// Six classes so top-5 is defined; three images.
const labels = i32([0, 1, 5]);
const logits = f32([
  [4, 0, 0, 0, 0, 0], // right
  [0, 0, 3, 2, 1, 0.5], // wrong (class 2); 4 logits above the true one: a top-5 hit
  [1, 2, 3, 4, 5, 0.5], // wrong (class 4); 5 logits above the true one: a top-5 miss
]);
const trainCounts = [600, 300, 150, 90, 30, 10];

describe('EvaluationAccumulator', () => {
  it('counts top-5 hits from the logits: a true class with ≥ 5 larger logits misses', () => {
    const e = evaluateLogits({ labels, logits, numClasses: 6, trainCounts });
    expect(e.top1Error).toBeCloseTo(2 / 3, 12);
    expect(e.top5Error).toBeCloseTo(1 / 3, 12);
  });

  it('gives precision, recall and F1 per class and the macro-F1 over classes with images', () => {
    const e = evaluateLogits({ labels, logits, numClasses: 6, trainCounts });
    expect(e.perClassRecall).toEqual([1, 0, null, null, null, 0]);
    expect(e.perClassPrecision).toEqual([1, null, 0, null, 0, null]);
    expect(e.perClassF1).toEqual([1, 0, null, null, null, 0]);
    expect(e.macroF1).toBeCloseTo(1 / 3, 12);
  });

  it('bins the top-1 softmax confidence into 15 equal bins and weighs |accuracy − confidence| by bin size', () => {
    const e = evaluateLogits({ labels, logits, numClasses: 6, trainCounts });
    const softmaxMax = (row: number[]) => 1 / row.reduce((s, z) => s + Math.exp(z - Math.max(...row)), 0);
    const c = [
      [4, 0, 0, 0, 0, 0],
      [0, 0, 3, 2, 1, 0.5],
      [1, 2, 3, 4, 5, 0.5],
    ].map(softmaxMax);
    const calibration = e.calibration;
    expect(calibration?.bins).toBe(15);
    const filled = calibration?.reliability.filter((b) => b.count > 0) ?? [];
    const byBin = new Map<number, number[]>();
    c.forEach((p, i) => {
      const bin = Math.ceil(p * 15) - 1;
      byBin.set(bin, [...(byBin.get(bin) ?? []), i]);
    });
    const ece = [...byBin.values()].reduce((sum, members) => {
      const conf = members.reduce((s, i) => s + (c[i] as number), 0) / members.length;
      const acc = members.filter((i) => i === 0).length / members.length;
      return sum + (members.length / 3) * Math.abs(acc - conf);
    }, 0);
    expect(calibration?.ece).toBeCloseTo(ece, 6);
    expect(filled.map((b) => b.count).reduce((a, b) => a + b, 0)).toBe(3);
    expect(
      filled.every((b) => (b.confidence as number) > b.lower && (b.confidence as number) <= b.upper),
    ).toBe(true);
  });

  it('scales the logits by s before the softmax when asked (LDAM cosine logits)', () => {
    const cosine = f32([[0.9, 0.1]]);
    const plain = evaluateLogits({ labels: i32([0]), logits: cosine, numClasses: 2, trainCounts: [5, 1] });
    const scaled = evaluateLogits({
      labels: i32([0]),
      logits: cosine,
      numClasses: 2,
      trainCounts: [5, 1],
      logitScale: 30,
    });
    expect(plain.calibration?.ece).toBeCloseTo(1 - 1 / (1 + Math.exp(-0.8)), 6);
    expect(scaled.calibration?.ece).toBeCloseTo(1 - 1 / (1 + Math.exp(-24)), 6);
    expect(plain.top5Error).toBeNull();
  });

  it('gives the same numbers batch by batch as in one pass', () => {
    const whole = evaluateLogits({ labels, logits, numClasses: 6, trainCounts });
    const parts = new EvaluationAccumulator({ numClasses: 6, trainCounts });
    parts.addLogits(labels.subarray(0, 1), logits.subarray(0, 6));
    parts.addLogits(labels.subarray(1), logits.subarray(6));
    expect(parts.finish()).toEqual(whole);
  });

  it('keeps only the top confusions above the dense limit', () => {
    const a = new EvaluationAccumulator({
      numClasses: 4,
      trainCounts: [4, 3, 2, 1],
      denseConfusionMaxClasses: 3,
      topConfusions: 2,
    });
    a.addPredictions(i32([0, 1, 1, 2, 2, 2, 3]), i32([0, 0, 0, 3, 3, 1, 3]));
    const e = a.finish();
    expect(e.confusion).toBeNull();
    expect(e.topConfusions).toEqual([
      { trueClass: 1, predicted: 0, count: 2 },
      { trueClass: 2, predicted: 3, count: 2 },
    ]);
    expect(e.perClassError).toEqual([0, 1, 1, 0]);
    expect(e.calibration).toBeNull();
  });

  it('splits classes into labelled rank thirds by training images, never empty', () => {
    const e = evaluateLogits({ labels, logits, numClasses: 6, trainCounts });
    expect(e.rankThirds.head).toEqual({ error: 0.5, classes: 2, minTrainCount: 300, maxTrainCount: 600 });
    expect(e.rankThirds.middle).toEqual({ error: null, classes: 2, minTrainCount: 90, maxTrainCount: 150 });
    expect(e.rankThirds.tail).toEqual({ error: 1, classes: 2, minTrainCount: 10, maxTrainCount: 30 });
    expect(e.groups.few).toEqual({ error: 1, classes: 1 });
  });

  it('refuses logits of the wrong size and labels outside the classes', () => {
    const a = new EvaluationAccumulator({ numClasses: 6, trainCounts });
    expect(() => a.addLogits(labels, logits.subarray(1))).toThrow(/logits for 3 images of 6 classes/);
    expect(() => a.addLogits(i32([6]), logits.subarray(0, 6))).toThrow(/label 6 of image 0/);
  });
});
