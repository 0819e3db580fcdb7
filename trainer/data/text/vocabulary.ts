// A vocabulary built from the training split only: entry 0 pads, entry 1 stands for every word
// outside the vocabulary, then words by descending count (ties in code-point order), keeping those
// seen at least `minCount` times, at most `maxVocab` entries in all.

export const padId = 0;
export const unknownId = 1;
const reserved = ['<pad>', '<unk>'] as const;

export interface Vocabulary {
  /** Token of each id; ids 0 and 1 are `<pad>` and `<unk>`. */
  readonly tokens: readonly string[];
}

export interface VocabularyLimits {
  readonly maxVocab: number;
  readonly minCount: number;
}

export function buildVocabulary(
  documents: Iterable<readonly string[]>,
  limits: VocabularyLimits,
): Vocabulary {
  const counts = new Map<string, number>();
  for (const tokens of documents) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  const kept = [...counts]
    .filter(([, n]) => n >= limits.minCount)
    .sort(([a, na], [b, nb]) => nb - na || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, Math.max(0, limits.maxVocab - reserved.length))
    .map(([t]) => t);
  return { tokens: [...reserved, ...kept] };
}

/** Token → id lookup of a vocabulary. */
export function vocabularyIndex(vocabulary: Vocabulary): Map<string, number> {
  return new Map(vocabulary.tokens.map((t, i) => [t, i]));
}

/**
 * Ids of `tokens` written into `out` (length maxLength): the first maxLength tokens, unknown words
 * as `unknownId`, then `padId` to the end. Ids are stored as float32 (exact below 2^24) so text
 * splits travel the same batching path as images.
 */
export function encodeInto(
  tokens: readonly string[],
  index: ReadonlyMap<string, number>,
  out: Float32Array,
): void {
  const n = Math.min(tokens.length, out.length);
  for (let i = 0; i < n; i++) out[i] = index.get(tokens[i] as string) ?? unknownId;
  out.fill(padId, n);
}

/** A stored vocabulary, checked (from a checkpoint's vocabulary.json). */
export function parseVocabulary(value: unknown): Vocabulary {
  const tokens = (value as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(tokens) || tokens.length < reserved.length || tokens.some((t) => typeof t !== 'string'))
    throw new Error('vocabulary: expected { tokens: string[] } starting with <pad>, <unk>');
  if (tokens[0] !== reserved[0] || tokens[1] !== reserved[1])
    throw new Error('vocabulary: the first two entries must be <pad> and <unk>');
  return { tokens: tokens as string[] };
}
