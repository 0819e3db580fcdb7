import { createRng, deriveSeed, shuffleInPlace } from '../random/rng.ts';
import { imbalancedClassCounts } from '../rebalance/index.ts';
import type { ImbalanceSpec } from '../spec/index.ts';
import { DataError } from './errors.ts';

export interface SubsampleInput {
  /** Class of each example of the full training pool. */
  readonly labels: Int32Array;
  readonly numClasses: number;
  /** `dataset.seed`: which images are kept, independent of the training seed. */
  readonly seed: number;
  readonly imbalance: Pick<ImbalanceSpec, 'type' | 'ratio'> & {
    readonly minority?: readonly string[] | undefined;
  };
  readonly maxPerClass?: number | undefined;
  readonly validationPerClass?: number | undefined;
  /** For error messages. */
  readonly classNames?: readonly string[];
}

export interface SubsamplePlan {
  /** Pool indices kept for training, ascending. */
  readonly train: Int32Array;
  /** Pool indices of the balanced validation split, ascending (absent when not asked for). */
  readonly validation?: Int32Array;
  /** n_i, training examples per class. */
  readonly classCounts: number[];
  /** n_max the imbalance profile was computed from. */
  readonly maxPerClass: number;
}

/** Pool indices grouped by class, in pool order. */
export function indicesByClass(labels: Int32Array, numClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, i) => {
    groups[label]?.push(i);
  });
  return groups;
}

const ascending = (indices: number[]): Int32Array => Int32Array.from(indices).sort();

function describeClass(k: number, classNames: readonly string[] | undefined): string {
  const name = classNames?.[k];
  return name === undefined ? `class ${k}` : `class ${k} ('${name}')`;
}

/**
 * Draws the validation split and the imbalanced training set from a training pool: per class, one
 * seeded shuffle; its first `validationPerClass` indices are validation, the next n_i are training
 * (Cao et al. 2019, §4.1: keep the first n_i of a seeded per-class shuffle). For exp and step, n_max
 * is the smallest class's remaining count, capped by `maxPerClass`, so every class can supply its
 * n_i; for none, every class keeps what it has, capped by `maxPerClass`.
 */
export function planSubsample(input: SubsampleInput): SubsamplePlan {
  const { numClasses, classNames } = input;
  const rng = createRng(deriveSeed(input.seed, 'subsample'));
  const groups = indicesByClass(input.labels, numClasses);
  for (const group of groups) shuffleInPlace(group, rng);
  const validationPerClass = input.validationPerClass ?? 0;
  groups.forEach((group, k) => {
    if (group.length > validationPerClass) return;
    const problem =
      validationPerClass === 0
        ? 'has no images'
        : `has ${group.length} images, none left for training after taking ${validationPerClass} for validation`;
    throw new DataError('training set', `${describeClass(k, classNames)} ${problem}`);
  });
  const available = groups.map((g) => g.length - validationPerClass);
  const cap = input.maxPerClass ?? Number.POSITIVE_INFINITY;
  const classCounts =
    input.imbalance.type === 'none'
      ? available.map((n) => Math.min(n, cap))
      : input.imbalance.minority !== undefined
        ? minorityCounts(input.imbalance, Math.min(cap, ...available), numClasses, classNames)
        : imbalancedClassCounts(input.imbalance, Math.min(cap, ...available), numClasses);
  const train = groups.flatMap((g, k) =>
    g.slice(validationPerClass, validationPerClass + (classCounts[k] ?? 0)),
  );
  const plan = { train: ascending(train), classCounts, maxPerClass: Math.max(...classCounts) };
  if (validationPerClass === 0) return plan;
  return { ...plan, validation: ascending(groups.flatMap((g) => g.slice(0, validationPerClass))) };
}

/** Step imbalance with named minority classes: they keep ⌊n_max/ρ⌋ (at least 1), the rest n_max. */
function minorityCounts(
  imbalance: { readonly ratio: number; readonly minority?: readonly string[] | undefined },
  maxPerClass: number,
  numClasses: number,
  classNames: readonly string[] | undefined,
): number[] {
  const minority = imbalance.minority ?? [];
  for (const name of minority)
    if (!classNames?.includes(name))
      throw new DataError(
        'dataset.imbalance.minority',
        `'${name}' is not a class of this dataset (${classNames?.join(', ')})`,
      );
  return Array.from({ length: numClasses }, (_, k) =>
    minority.includes(classNames?.[k] ?? '')
      ? Math.max(1, Math.floor(maxPerClass / imbalance.ratio))
      : maxPerClass,
  );
}

/**
 * Caps a (balanced) test set at `perClass` examples per class with a seeded per-class shuffle, and
 * checks every class has at least one example.
 */
export function capPerClass(
  labels: Int32Array,
  numClasses: number,
  perClass: number | undefined,
  seed: number,
  classNames?: readonly string[],
): Int32Array {
  const groups = indicesByClass(labels, numClasses);
  groups.forEach((group, k) => {
    if (group.length === 0) throw new DataError('test set', `${describeClass(k, classNames)} has no images`);
  });
  if (perClass === undefined) return Int32Array.from(labels.keys());
  const rng = createRng(deriveSeed(seed, 'test-subsample'));
  for (const group of groups) shuffleInPlace(group, rng);
  return ascending(groups.flatMap((g) => g.slice(0, perClass)));
}
