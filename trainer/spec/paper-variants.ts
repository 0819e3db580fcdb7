import { z } from 'zod';

// The paper's remaining Table 2 and Table 6 rows as spec fields (Cao et al. 2019): the margin rule
// of the margin losses (M-DRW's uniform margin), the multi-class hinge loss (HG-DRS,
// LDAM-HG-DRS, §3.2) and a known imbalanced test distribution (appendix C.5).

/** label-distribution: Δ_j ∝ n_j^(−1/4) (eq. 12); uniform: Δ_j = maxMargin for every class (M-DRW). */
export const marginRules = ['label-distribution', 'uniform'] as const;
export const marginRuleSchema = z.enum(marginRules);

const maxMargin = z.number().gt(0).max(5).default(0.5);

export const ldamLossSchema = z.strictObject({
  type: z.literal('ldam'),
  maxMargin,
  scale: z.number().gt(0).max(100).default(30),
  /** Absent = label-distribution. */
  margins: marginRuleSchema.optional(),
});

/** ℓ = max(max_{j≠y} z_j − z_y + Δ_y, 0) on the cosine logits, no scale (Cao et al. 2019, §3.2). */
export const hingeLossSchema = z.strictObject({
  type: z.literal('hinge'),
  maxMargin,
  /** Absent = label-distribution (LDAM-HG); uniform gives HG. */
  margins: marginRuleSchema.optional(),
});

/**
 * The test set drawn imbalanced by the same rule as training, its class frequencies permuted by
 * `seed` (appendix C.5); LDAM's margins then become Δ_j ∝ (n'_j / n_j)^(1/4).
 */
export const testImbalanceSchema = z.strictObject({
  type: z.enum(['exp', 'step']),
  ratio: z.number().min(1).max(10_000),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
});

export type MarginRule = z.infer<typeof marginRuleSchema>;
export type TestImbalanceSpec = z.infer<typeof testImbalanceSchema>;
