import { type RandomSource, shuffleInPlace } from '../random/rng.ts';

/** 0..n−1 in a random order (one uniform epoch). */
export function shuffledIndices(n: number, rng: RandomSource): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(indices, rng);
  return indices;
}

/**
 * `count` sample indices drawn with replacement, p(i) ∝ w_{y_i} (the RS / DRS sampler).
 * Drawn in two stages, a class with probability ∝ w_c·n_c then a uniform member, which is the same
 * distribution with a K-entry cumulative table instead of an N-entry one.
 */
export function classBalancedIndices(
  labels: Int32Array,
  classWeights: readonly number[],
  count: number,
  rng: RandomSource,
): Int32Array {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const members = membersByClass(labels, classWeights.length);
  const cumulative: number[] = [];
  let total = 0;
  classWeights.forEach((w, c) => {
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`class ${c} has an invalid weight: ${w}`);
    total += w * (members[c]?.length ?? 0);
    cumulative.push(total);
  });
  if (count > 0 && !(total > 0)) throw new RangeError('no sample has a positive weight');
  const drawn = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const c = upperBound(cumulative, rng.next() * total);
    const pool = members[c] as number[];
    drawn[k] = pool[rng.int(pool.length)] as number;
  }
  return drawn;
}

function membersByClass(labels: Int32Array, numClasses: number): number[][] {
  const members: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((y, i) => {
    const pool = members[y];
    if (pool === undefined) throw new RangeError(`label ${y} of sample ${i} has no class weight`);
    pool.push(i);
  });
  return members;
}

/** First index whose cumulative mass exceeds u; skips zero-mass classes. */
function upperBound(cumulative: readonly number[], u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
