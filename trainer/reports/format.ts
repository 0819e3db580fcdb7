import type { LossSpec } from '../spec/index.ts';
import type { Report } from './schema.ts';

/** An error rate as a percentage with two decimals; an en dash when there is none. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(2)}%`;
}

export function describeLoss(loss: LossSpec): string {
  switch (loss.type) {
    case 'ce':
      return 'cross-entropy';
    case 'focal':
      return `focal (γ = ${loss.gamma})`;
    case 'ldam':
      return `LDAM (max margin ${loss.maxMargin}, s = ${loss.scale}${loss.margins === 'uniform' ? ', uniform margins' : ''})`;
    case 'hinge':
      return `multi-class hinge (max margin ${loss.maxMargin}, ${loss.margins ?? 'label-distribution'} margins)`;
    case 'logit-adjusted':
      return `logit-adjusted (τ = ${loss.tau})`;
  }
}

export function describeImbalance({ type, ratio }: Report['spec']['dataset']['imbalance']): string {
  return type === 'none' ? 'balanced' : `${type}, ρ = ${ratio}`;
}

export function describeRebalance(rebalance: Report['spec']['rebalance']): string {
  if (rebalance.rule === 'none') return 'none';
  const weighting =
    rebalance.weighting === 'class-balanced' ? `class-balanced, β = ${rebalance.beta}` : 'inverse-frequency';
  const after = rebalance.afterEpoch === null ? '' : ` after epoch ${rebalance.afterEpoch}`;
  return `${rebalance.rule}${after} (${weighting})`;
}
