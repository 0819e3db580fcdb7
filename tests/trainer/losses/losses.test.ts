import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  crossEntropyLoss,
  focalLoss,
  ldamLoss,
  logitAdjustedLoss,
  lossFn,
} from '../../../trainer/losses/index.ts';
import { EmptyClassError } from '../../../trainer/rebalance/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rows = [
  [2, 0, -1],
  [0.5, 0.5, 3],
];
const labelValues = [0, 2];

function evaluate(loss: (l: tf.Tensor1D, z: tf.Tensor2D) => tf.Scalar, logits = rows, labels = labelValues) {
  return tf.tidy(() => {
    const z = tf.tensor2d(logits);
    const y = tf.tensor1d(labels, 'int32');
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => loss(y, x as tf.Tensor2D))(z);
    return { value: value.dataSync()[0] as number, grad: Array.from(grad.dataSync()) };
  });
}

/** −log softmax(z)_y by hand, in float64. */
function nll(z: readonly number[], y: number): number {
  const max = Math.max(...z);
  const logSum = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return logSum - (z[y] as number);
}

describe('crossEntropyLoss', () => {
  it('is the batch mean of −log softmax(z)_y', () => {
    const expected = (nll(rows[0] as number[], 0) + nll(rows[1] as number[], 2)) / 2;
    expect(evaluate(crossEntropyLoss({ numClasses: 3 })).value).toBeCloseTo(expected, 5);
  });

  it('is the weighted mean Σ w_y ℓ / Σ w_y with class weights', () => {
    const w = [0.5, 1, 2];
    const expected = (0.5 * nll(rows[0] as number[], 0) + 2 * nll(rows[1] as number[], 2)) / 2.5;
    expect(evaluate(crossEntropyLoss({ numClasses: 3, classWeights: w })).value).toBeCloseTo(expected, 5);
  });

  it('stays finite for huge logits (stable log-softmax)', () => {
    const { value, grad } = evaluate(crossEntropyLoss({ numClasses: 3 }), [
      [1000, -1000, 0],
      [0, 0, 1000],
    ]);
    expect(value).toBeCloseTo(0, 5);
    expect(grad.every(Number.isFinite)).toBe(true);
  });

  it('rejects mismatched shapes, float labels and bad weights', () => {
    const ce = crossEntropyLoss({ numClasses: 4 });
    expect(() => evaluate(ce)).toThrow(/logits have 3 classes, the loss expects 4/);
    const ce3 = crossEntropyLoss({ numClasses: 3 });
    expect(() => tf.tidy(() => ce3(tf.tensor1d([0, 1], 'float32'), tf.tensor2d(rows)))).toThrow(/int32/);
    expect(() => crossEntropyLoss({ numClasses: 3, classWeights: [1, 1] })).toThrow(/2 class weights/);
    expect(() => crossEntropyLoss({ numClasses: 2, classWeights: [1, Number.NaN] })).toThrow(
      /invalid weight/,
    );
  });
});

describe('focalLoss', () => {
  it('equals cross-entropy for γ = 0', () => {
    const focal = evaluate(focalLoss({ numClasses: 3, gamma: 0 }));
    const ce = evaluate(crossEntropyLoss({ numClasses: 3 }));
    expect(focal.value).toBeCloseTo(ce.value, 6);
  });

  it('down-weights each sample by (1 − e^(−w·ℓ))^γ and averages over the batch, not Σ w', () => {
    const w = [3, 1, 0.5];
    const per = [3 * nll(rows[0] as number[], 0), 0.5 * nll(rows[1] as number[], 2)];
    const expected = per.reduce((s, l) => s + (1 - Math.exp(-l)) ** 2 * l, 0) / 2;
    expect(evaluate(focalLoss({ numClasses: 3, gamma: 2, classWeights: w })).value).toBeCloseTo(expected, 5);
  });

  it('keeps a finite gradient for γ < 1 on saturated samples', () => {
    const { grad } = evaluate(focalLoss({ numClasses: 3, gamma: 0.5 }), [
      [200, 0, 0],
      [0, 0, 1],
    ]);
    expect(grad.every(Number.isFinite)).toBe(true);
  });
});

describe('ldamLoss', () => {
  it('is CE of s·z when every margin is 0', () => {
    const cosine = [
      [0.9, -0.2, 0.1],
      [0.3, 0.4, -0.5],
    ];
    const ldam = evaluate(ldamLoss({ margins: [0, 0, 0], scale: 10 }), cosine);
    const scaled = cosine.map((r) => r.map((v) => 10 * v));
    const ce = evaluate(crossEntropyLoss({ numClasses: 3 }), scaled);
    expect(ldam.value).toBeCloseTo(ce.value, 5);
  });

  it("subtracts only the true class's margin before scaling", () => {
    const cosine = [
      [0.9, -0.2, 0.1],
      [0.3, 0.4, -0.5],
    ];
    const margins = [0.1, 0.2, 0.4];
    const expected =
      (nll([30 * (0.9 - 0.1), 30 * -0.2, 30 * 0.1], 0) + nll([30 * 0.3, 30 * 0.4, 30 * (-0.5 - 0.4)], 2)) / 2;
    expect(evaluate(ldamLoss({ margins, scale: 30 }), cosine).value).toBeCloseTo(expected, 4);
  });
});

describe('logitAdjustedLoss', () => {
  it('equals CE under a uniform prior (a constant shift of every logit)', () => {
    const adjusted = evaluate(logitAdjustedLoss({ classCounts: [7, 7, 7], tau: 1 }));
    expect(adjusted.value).toBeCloseTo(evaluate(crossEntropyLoss({ numClasses: 3 })).value, 5);
  });

  it('adds τ·log π to the logits', () => {
    const counts = [6, 3, 1];
    const shifted = rows.map((r) => r.map((v, j) => v + 2 * Math.log((counts[j] as number) / 10)));
    const expected = (nll(shifted[0] as number[], 0) + nll(shifted[1] as number[], 2)) / 2;
    expect(evaluate(logitAdjustedLoss({ classCounts: counts, tau: 2 })).value).toBeCloseTo(expected, 5);
  });

  it('throws for a class with no training images', () => {
    expect(() => logitAdjustedLoss({ classCounts: [5, 0, 1], tau: 1 })).toThrow(EmptyClassError);
  });
});

describe('lossFn', () => {
  it('builds the loss the spec names, with margins and priors from the class counts', () => {
    const counts = [100, 10, 1];
    const cosine = [
      [0.5, 0.1, -0.3],
      [0.2, -0.1, 0.6],
    ];
    const fromSpec = evaluate(
      lossFn({ type: 'ldam', maxMargin: 0.5, scale: 30 }, { classCounts: counts }),
      cosine,
    );
    const margins = counts.map((n) => 0.5 * (1 / n) ** 0.25);
    const direct = evaluate(ldamLoss({ margins, scale: 30 }), cosine);
    expect(fromSpec.value).toBeCloseTo(direct.value, 5);
    const weights = [0.1, 0.9, 2];
    expect(
      evaluate(lossFn({ type: 'ce' }, { classCounts: counts, classWeights: weights })).value,
    ).toBeCloseTo(evaluate(crossEntropyLoss({ numClasses: 3, classWeights: weights })).value, 6);
    expect(evaluate(lossFn({ type: 'focal', gamma: 1 }, { classCounts: counts })).value).not.toBeCloseTo(
      evaluate(lossFn({ type: 'ce' }, { classCounts: counts })).value,
      3,
    );
  });

  it('leaves no tensors behind across repeated steps', () => {
    const loss = lossFn(
      { type: 'logit-adjusted', tau: 1 },
      { classCounts: [5, 3, 1], classWeights: [1, 1, 1] },
    );
    evaluate(loss);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 5; step++) evaluate(loss);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('loss normaliser (what a class-weighted mean divides by)', () => {
  const classWeights = [0.5, 1, 2];
  const normalised = (labels: number[], loss: ReturnType<typeof lossFn>) =>
    tf.tidy(() => loss.normaliser?.(tf.tensor1d(labels, 'int32')).arraySync());

  it('is Σ w_y of the labels for the weighted CE, LDAM and logit-adjusted losses', () => {
    const classCounts = [100, 10, 1];
    for (const type of ['ce', 'ldam', 'logit-adjusted'] as const) {
      const loss = lossFn(
        type === 'ce' ? { type } : type === 'ldam' ? { type, maxMargin: 0.5, scale: 30 } : { type, tau: 1 },
        { classCounts, classWeights },
      );
      expect(normalised([0, 2, 2, 1], loss)).toBeCloseTo(0.5 + 2 + 2 + 1, 6);
    }
  });

  it('is absent for unweighted losses and for focal loss, whose mean is over the batch', () => {
    expect(crossEntropyLoss({ numClasses: 3 }).normaliser).toBeUndefined();
    expect(focalLoss({ numClasses: 3, gamma: 1, classWeights }).normaliser).toBeUndefined();
  });
});
