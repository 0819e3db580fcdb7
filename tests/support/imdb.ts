// The IMDB fixtures the text tests (and the paper-imdb test-scale run) share: a generated corpus in
// the aclImdb layout with short reviews, and the small BiLSTM + Adam LDAM-DRW spec trained on it.
import { mergeValue } from '../../functions/benchmarks/overrides.ts';
import { type CorpusOptions, writeImdbCorpus } from '../../trainer/data/text/generate.ts';

export interface CorpusSize {
  /** Training reviews per class (pos and neg alike), before any imbalance the spec applies. */
  readonly train: number;
  /** Test reviews per class. */
  readonly test: number;
  readonly seed: number;
}

/**
 * Writes `<dir>/train|test/pos|neg` with short reviews (log-normal, median 8 words, σ 0.4, at most
 * 12) unless `options` says otherwise; returns `dir`.
 */
export function writeShortImdbCorpus(
  dir: string,
  size: CorpusSize,
  options: Partial<CorpusOptions> = {},
): Promise<string> {
  return writeImdbCorpus(dir, {
    trainPerClass: [size.train, size.train],
    testPerClass: [size.test, size.test],
    seed: size.seed,
    medianWords: 8,
    sigma: 0.4,
    maxWords: 12,
    ...options,
  });
}

/**
 * The raw spec of a tiny BiLSTM (8-dim embeddings, 4 units) trained with LDAM-DRW and Adam on the
 * corpus at `source`, neg kept at 1/4, for two epochs; `overrides` merge in section by section.
 */
export function tinyImdbSpec(
  source: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const base = {
    version: 1,
    dataset: {
      name: 'imdb',
      source,
      imbalance: { type: 'step', ratio: 4, minority: ['neg'] },
      text: { maxLength: 12, minCount: 1 },
    },
    model: { arch: 'bilstm', bilstm: { embeddingDim: 8, units: 4 } },
    loss: { type: 'ldam' },
    rebalance: { rule: 'drw', afterEpoch: 1 },
    optimizer: { type: 'adam', lr: 0.01, weightDecay: 0, batchSize: 8 },
    schedule: { epochs: 2, warmupEpochs: 0, decay: [] },
  };
  return mergeValue(base, overrides) as Record<string, unknown>;
}
