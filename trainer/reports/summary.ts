import type { ResolvedExperiment } from '../spec/index.ts';
import type { SpecSummary } from './schema.ts';

/** The report's spec summary of a resolved experiment. */
export function summarizeSpec(resolved: ResolvedExperiment): SpecSummary {
  const { spec } = resolved;
  return {
    dataset: { name: spec.dataset.name, numClasses: resolved.numClasses, imbalance: spec.dataset.imbalance },
    model: { arch: spec.model.arch, classifier: resolved.classifier },
    loss: spec.loss,
    rebalance: {
      rule: spec.rebalance.rule,
      weighting: spec.rebalance.weighting,
      beta: spec.rebalance.beta,
      afterEpoch: resolved.rebalanceAfterEpoch,
    },
    epochs: spec.schedule.epochs,
    seed: spec.seed,
  };
}
