import { describe, expect, it } from 'vitest';
import { deferredRebalanceActive, learningRateAt } from '../../../trainer/schedule/index.ts';
import { defaultDecay, defaultWarmupEpochs } from '../../../trainer/spec/index.ts';

const cifar = {
  baseLr: 0.1,
  warmupEpochs: defaultWarmupEpochs(200),
  decay: defaultDecay(200),
};

describe('learningRateAt', () => {
  it('warms up linearly over the first epochs: 0.1·e/5 for e = 1..5', () => {
    expect([1, 2, 3, 4, 5].map((e) => learningRateAt(e, cifar))).toEqual(
      [1, 2, 3, 4, 5].map((e) => (0.1 * e) / 5),
    );
  });

  it('holds the base LR until the first decay, then ×0.01 from epoch 161 and ×0.0001 from 181', () => {
    expect(learningRateAt(6, cifar)).toBe(0.1);
    expect(learningRateAt(160, cifar)).toBe(0.1);
    expect(learningRateAt(161, cifar)).toBeCloseTo(1e-3, 15);
    expect(learningRateAt(180, cifar)).toBeCloseTo(1e-3, 15);
    expect(learningRateAt(181, cifar)).toBeCloseTo(1e-5, 15);
    expect(learningRateAt(200, cifar)).toBeCloseTo(1e-5, 15);
  });

  it('uses the base LR from epoch 1 without warm-up, and the latest step whatever the order', () => {
    const schedule = {
      baseLr: 0.2,
      warmupEpochs: 0,
      decay: [
        { afterEpoch: 4, factor: 0.01 },
        { afterEpoch: 2, factor: 0.1 },
      ],
    };
    expect([1, 2, 3, 4, 5].map((e) => learningRateAt(e, schedule))).toEqual([
      0.2,
      0.2,
      0.2 * 0.1,
      0.2 * 0.1,
      0.2 * 0.01,
    ]);
  });

  it('rejects epochs that are not 1-based integers', () => {
    expect(() => learningRateAt(0, cifar)).toThrow(/epoch/);
    expect(() => learningRateAt(1.5, cifar)).toThrow(/epoch/);
  });
});

describe('deferredRebalanceActive', () => {
  it('switches on after afterEpoch completed epochs', () => {
    expect(deferredRebalanceActive(160, 160)).toBe(false);
    expect(deferredRebalanceActive(161, 160)).toBe(true);
    expect(deferredRebalanceActive(1, 0)).toBe(true);
  });
});
