import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../trainer/engine/index.ts';
import { lossFn } from '../../../trainer/losses/index.ts';
import {
  classBalancedWeights,
  imbalancedClassCounts,
  ldamMargins,
} from '../../../trainer/rebalance/index.ts';
import type { LossSpec } from '../../../trainer/spec/index.ts';
import { relativeError } from '../../support/relative-error.ts';
import { expectMatchesGolden } from './against-golden.ts';

// Reference values from PyTorch in float64 (scripts/golden/make_loss_golden.py); compared in float32.
interface GoldenCase {
  name: string;
  loss: LossSpec;
  logits: 'linear' | 'cosine';
  weighted: boolean;
  value: number;
  grad: number[];
}
interface GoldenSet {
  numClasses: number;
  classCounts: number[];
  classBalancedWeights: number[];
  ldamMargins: number[];
  labels: number[];
  linearLogits: number[];
  cosineLogits: number[];
  cases: GoldenCase[];
}
interface Golden {
  beta: number;
  batch: number;
  longTailedCounts: { nMax: number; ratio: number; numClasses: number; counts: number[] }[];
  sets: GoldenSet[];
}

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as Golden;

describe('golden class statistics', () => {
  it('reproduces the long-tailed class counts', () => {
    for (const row of golden.longTailedCounts)
      expect(imbalancedClassCounts({ type: 'exp', ratio: row.ratio }, row.nMax, row.numClasses)).toEqual(
        row.counts,
      );
  });

  it.each(golden.sets)('reproduces margins and class-balanced weights for K=$numClasses', (set) => {
    expect(relativeError(ldamMargins(set.classCounts, 0.5), set.ldamMargins)).toBeLessThan(1e-12);
    expect(
      relativeError(classBalancedWeights(set.classCounts, golden.beta), set.classBalancedWeights),
    ).toBeLessThan(1e-9);
  });
});

describe.each(['cpu', 'wasm'] as const)('golden losses and gradients on the %s backend', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  const cases = golden.sets.flatMap((set) => set.cases.map((c) => ({ ...c, set })));
  it.each(cases)('$name', ({ set, loss, logits: kind, weighted, value, grad }) => {
    const loss32 = lossFn(loss, {
      classCounts: set.classCounts,
      ...(weighted ? { classWeights: set.classBalancedWeights } : {}),
    });
    const logits = kind === 'linear' ? set.linearLogits : set.cosineLogits;
    expectMatchesGolden(loss32, { labels: set.labels, logits, numClasses: set.numClasses, value, grad });
  });
});
