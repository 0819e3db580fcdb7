// Which pool indices become the training, validation and test splits of a dataset, for every kind
// of data (images in memory, text): the seeded imbalanced subsample of the training pool and a test
// set capped per class — or drawn to a known imbalanced distribution (Cao et al. 2019, app. C.5).
import type { DatasetSpec } from '../spec/index.ts';
import { capPerClass, planSubsample, type SubsamplePlan } from './imbalance.ts';
import { imbalancedTestIndices } from './test-imbalance.ts';

export interface SplitPlan extends SubsamplePlan {
  /** Test indices kept, ascending. */
  readonly test: Int32Array;
}

/** The pools' labels, as read from a dataset's source. */
export interface LabelledPools {
  readonly train: { readonly labels: Int32Array };
  readonly test: { readonly labels: Int32Array };
  readonly classNames: readonly string[];
}

export function planSplits(dataset: DatasetSpec, pools: LabelledPools, numClasses: number): SplitPlan {
  const plan = planSubsample({
    labels: pools.train.labels,
    numClasses,
    seed: dataset.seed,
    imbalance: dataset.imbalance,
    maxPerClass: dataset.maxPerClass,
    validationPerClass: dataset.validationPerClass,
    classNames: pools.classNames,
  });
  // Checks every class has a test example, whichever distribution is drawn.
  const balancedTest = capPerClass(
    pools.test.labels,
    numClasses,
    dataset.testPerClass,
    dataset.seed,
    pools.classNames,
  );
  const test =
    dataset.testImbalance === undefined
      ? balancedTest
      : imbalancedTestIndices(
          pools.test.labels,
          numClasses,
          dataset.testImbalance,
          dataset.testPerClass,
          dataset.seed,
        );
  return { ...plan, test };
}
