import {
  type AdjustedScores,
  adjustmentKey,
  type Evaluation,
  fixedPosthocTau,
  posthocTauGrid,
} from '../metrics/index.ts';
import { type PosthocMethod, type PosthocRow, posthocMethods } from './schema.ts';

/** The test (and validation) evaluations of one epoch, with their adjusted views. */
export interface EpochEvaluations {
  readonly epoch: number;
  readonly test: Evaluation;
  readonly validation?: Evaluation | undefined;
}

/** An epoch whose logits could not be scored, and why (e.g. too many to store). */
export interface UnscoredEpoch {
  readonly epoch: number;
  readonly unscored: string;
}

const notApplicable = 'the cosine classifier normalises every w_j already: τ-normalisation is the identity';

/**
 * One row per post-hoc method and epoch (final, best): τ chosen on validation (lowest balanced
 * error over the sweep; ties keep the smaller τ) when there is a validation split, else fixed at 1.
 */
export function posthocRows(
  evaluations: {
    readonly final: EpochEvaluations | UnscoredEpoch;
    readonly best: EpochEvaluations | UnscoredEpoch;
  },
  classifier: 'linear' | 'cosine',
): PosthocRow[] {
  return posthocMethods.flatMap((method) =>
    (['final', 'best'] as const).map((at) => rowOf(method, at, evaluations[at], classifier)),
  );
}

function rowOf(
  method: PosthocMethod,
  at: 'final' | 'best',
  e: EpochEvaluations | UnscoredEpoch,
  classifier: 'linear' | 'cosine',
): PosthocRow {
  const onValidation = 'unscored' in e ? false : e.validation !== undefined;
  const base = { method, at, epoch: e.epoch, tauChosenOn: onValidation ? 'validation' : 'fixed' } as const;
  const unavailable = (reason: string): PosthocRow => ({
    ...base,
    tau: null,
    applicable: false,
    reason,
    test: null,
    validation: null,
  });
  if (method === 'tau-norm' && classifier === 'cosine') return unavailable(notApplicable);
  if ('unscored' in e) return unavailable(e.unscored);
  if (e.test.adjusted[adjustmentKey(method, fixedPosthocTau)] === undefined)
    return unavailable('no adjusted logits were scored');
  const tau = onValidation ? chooseTau(method, e.validation as Evaluation) : fixedPosthocTau;
  const key = adjustmentKey(method, tau);
  return {
    ...base,
    tau,
    applicable: true,
    reason: null,
    test: e.test.adjusted[key] ?? null,
    validation: e.validation?.adjusted[key] ?? null,
  };
}

function chooseTau(method: PosthocMethod, validation: Evaluation): number {
  let best: { tau: number; scores: AdjustedScores } | undefined;
  for (const tau of posthocTauGrid) {
    const scores = validation.adjusted[adjustmentKey(method, tau)];
    if (scores !== undefined && (best === undefined || scores.balancedError < best.scores.balancedError))
      best = { tau, scores };
  }
  return best?.tau ?? fixedPosthocTau;
}
