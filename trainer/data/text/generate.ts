import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type RandomSource } from '../../random/rng.ts';
import { imdbClassNames } from '../../spec/index.ts';

// A generated corpus in the aclImdb layout, for CI-sized tests and benchmarks (the real reviews
// are not reachable from these machines). Words are drawn class-conditionally: most come from a
// shared Zipf-like pool, a fraction `signal` from the review's class-specific pool, so the class
// is learnable from word frequencies but no single review is certain.

export interface CorpusOptions {
  readonly trainPerClass: readonly number[];
  readonly testPerClass: readonly number[];
  readonly seed: number;
  /** Review length in words: log-normal with this median and σ (IMDB: ~175 and ~0.75). */
  readonly medianWords: number;
  readonly sigma: number;
  readonly maxWords: number;
  /** Probability that a word comes from its class's own pool (default 0.15). */
  readonly signal?: number;
  readonly sharedWords?: number;
  readonly classWords?: number;
}

function zipfIndex(rng: RandomSource, size: number): number {
  // Inverse CDF of a 1/x density over [1, size + 1): common words early, a long tail.
  return Math.min(size - 1, Math.floor((size + 1) ** rng.next()) - 1);
}

/** One review's text: words, commas and full stops, and the dataset's `<br />` line breaks. */
export function generateReview(rng: RandomSource, k: number, options: CorpusOptions): string {
  const signal = options.signal ?? 0.15;
  const shared = options.sharedWords ?? 2000;
  const own = options.classWords ?? 50;
  const length = Math.max(
    3,
    Math.min(options.maxWords, Math.round(options.medianWords * Math.exp(options.sigma * rng.normal()))),
  );
  const parts: string[] = [];
  for (let i = 0; i < length; i++) {
    const word = rng.next() < signal ? `c${k}w${zipfIndex(rng, own)}` : `w${zipfIndex(rng, shared)}`;
    parts.push(i === 0 ? word[0]?.toUpperCase() + word.slice(1) : word);
    const r = rng.next();
    if (r < 0.06) parts.push('.');
    else if (r < 0.1) parts.push(',');
    else if (r < 0.105) parts.push('<br /><br />');
  }
  return `${parts.join(' ').replace(/ ([.,])/g, '$1')}.`;
}

/** Writes `<dir>/train|test/pos|neg/<id>_<rating>.txt`; returns the directory. */
export async function writeImdbCorpus(dir: string, options: CorpusOptions): Promise<string> {
  const rng = createRng(options.seed);
  for (const [split, perClass] of [
    ['train', options.trainPerClass],
    ['test', options.testPerClass],
  ] as const) {
    for (const [k, name] of imdbClassNames.entries()) {
      const folder = join(dir, split, name);
      await mkdir(folder, { recursive: true });
      const count = perClass[k] ?? 0;
      for (let id = 0; id < count; id++) {
        const rating = name === 'pos' ? 7 + (id % 4) : 1 + (id % 4);
        await writeFile(join(folder, `${id}_${rating}.txt`), generateReview(rng, k, options));
      }
    }
  }
  return dir;
}
