import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../trainer/engine/index.ts';
import { lossFn } from '../../../trainer/losses/index.ts';
import { adjustLogits, logitAdjustments, tauNormAdjustments } from '../../../trainer/metrics/index.ts';
import { marginsFor } from '../../../trainer/rebalance/index.ts';
import { type LossSpec, lossSchema } from '../../../trainer/spec/index.ts';
import { relativeError } from '../../support/relative-error.ts';
import { expectMatchesGolden } from './against-golden.ts';

// Reference values from PyTorch in float64 (scripts/golden/make_variant_golden.py); compared in float32.
interface LossSet {
  numClasses: number;
  classCounts: number[];
  testCounts: number[];
  classBalancedWeights: number[];
  margins: Record<'label-distribution' | 'uniform' | 'test-distribution', number[]>;
  labels: number[];
  cosineLogits: number[];
  cases: {
    name: string;
    loss: LossSpec;
    testDistribution: boolean;
    weighted: boolean;
    value: number;
    grad: number[];
  }[];
}
interface PosthocSet {
  numClasses: number;
  classCounts: number[];
  kernel: number[];
  bias: number[];
  logits: number[];
  logitAdjusted: Record<string, number[]>;
  tauNormalised: Record<string, number[]>;
}
const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/golden/variants.json', import.meta.url), 'utf8'),
) as { maxMargin: number; losses: LossSet[]; posthoc: PosthocSet[] };

describe.each(golden.losses)('margins for K=$numClasses', (set) => {
  it('are uniform, label-distribution-aware, or follow the known test distribution', () => {
    const { classCounts, testCounts } = set;
    const at = (rule: 'uniform' | 'label-distribution', test?: number[]) =>
      marginsFor({
        rule,
        maxMargin: golden.maxMargin,
        classCounts,
        ...(test === undefined ? {} : { testCounts: test }),
      });
    expect(relativeError(at('uniform'), set.margins.uniform)).toBeLessThan(1e-12);
    expect(relativeError(at('label-distribution'), set.margins['label-distribution'])).toBeLessThan(1e-12);
    expect(
      relativeError(at('label-distribution', testCounts), set.margins['test-distribution']),
    ).toBeLessThan(1e-12);
    expect(Math.max(...at('label-distribution', testCounts))).toBeCloseTo(golden.maxMargin, 12);
  });
});

describe.each(['cpu', 'wasm'] as const)('golden hinge and M-DRW losses on the %s backend', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  const cases = golden.losses.flatMap((set) => set.cases.map((c) => ({ ...c, set })));
  it.each(cases)('$name', ({ set, loss, testDistribution, weighted, value, grad }) => {
    const loss32 = lossFn(lossSchema.parse(loss), {
      classCounts: set.classCounts,
      ...(weighted ? { classWeights: set.classBalancedWeights } : {}),
      ...(testDistribution ? { testCounts: set.testCounts } : {}),
    });
    const logits = set.cosineLogits;
    expectMatchesGolden(loss32, { labels: set.labels, logits, numClasses: set.numClasses, value, grad });
  });
});

describe.each(golden.posthoc)('golden post-hoc adjustments for K=$numClasses', (set) => {
  const logits = Float32Array.from(set.logits);
  it.each(['0.5', '1', '2'])('logit adjustment z − τ·log π at τ = %s', (tau) => {
    const adjustment = logitAdjustments(set.classCounts).find((a) => a.key === `posthoc-la@${Number(tau)}`);
    if (adjustment === undefined) throw new Error(`τ ${tau} is not in the sweep`);
    const expected = set.logitAdjusted[tau === '1' ? '1.0' : tau === '2' ? '2.0' : tau] as number[];
    expect(relativeError(adjustLogits(logits, set.numClasses, adjustment), expected)).toBeLessThanOrEqual(
      1e-4,
    );
  });

  it.each(['0.5', '1', '2'])(
    'τ-normalisation w_j/‖w_j‖^τ, no bias, from the stored logits at τ = %s',
    (tau) => {
      const adjustment = tauNormAdjustments(
        Float32Array.from(set.kernel),
        Float32Array.from(set.bias),
        set.numClasses,
      ).find((a) => a.key === `tau-norm@${Number(tau)}`);
      if (adjustment === undefined) throw new Error(`τ ${tau} is not in the sweep`);
      const expected = set.tauNormalised[tau === '1' ? '1.0' : tau === '2' ? '2.0' : tau] as number[];
      expect(relativeError(adjustLogits(logits, set.numClasses, adjustment), expected)).toBeLessThanOrEqual(
        1e-4,
      );
    },
  );
});
