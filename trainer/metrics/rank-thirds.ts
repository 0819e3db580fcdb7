import { meanOfPresent } from './groups.ts';

/** One third of the classes ranked by training images (head = most). */
export interface RankThird {
  /** Mean per-class error of the third's classes; null when none has evaluation images. */
  readonly error: number | null;
  readonly classes: number;
  /** Training images of the third's rarest and most frequent class. */
  readonly minTrainCount: number;
  readonly maxTrainCount: number;
}

export interface RankThirds {
  readonly head: RankThird;
  readonly middle: RankThird;
  readonly tail: RankThird;
}

/** Classes by training images, most first; ties keep the lower class index first. */
export function classesByTrainCount(trainCounts: readonly number[]): number[] {
  return trainCounts
    .map((n, c) => ({ n, c }))
    .sort((a, b) => b.n - a.n || a.c - b.c)
    .map(({ c }) => c);
}

/**
 * Head, middle and tail thirds of the classes ranked by training images: a grouping that is never
 * empty, for datasets where many/medium/few leaves a group without classes (CIFAR-10-LT has no
 * class under 20 images). Boundaries at round(K/3) and round(2K/3).
 */
export function rankThirdErrors(
  perClassError: readonly (number | null)[],
  trainCounts: readonly number[],
): RankThirds {
  const ranked = classesByTrainCount(trainCounts);
  const k = ranked.length;
  const cuts = [0, Math.round(k / 3), Math.round((2 * k) / 3), k];
  const third = (i: number): RankThird => {
    const members = ranked.slice(cuts[i], cuts[i + 1]);
    const counts = members.map((c) => trainCounts[c] as number);
    return {
      error: meanOfPresent(members.map((c) => perClassError[c] ?? null)),
      classes: members.length,
      minTrainCount: counts.length === 0 ? 0 : Math.min(...counts),
      maxTrainCount: counts.length === 0 ? 0 : Math.max(...counts),
    };
  };
  return { head: third(0), middle: third(1), tail: third(2) };
}
