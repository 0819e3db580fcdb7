export { archiveDataFiles } from './archive.ts';
export { findImdbRoot, readImdbDataset } from './imdb.ts';
export { jsonlFiles, parseJsonlSplit, readJsonlDataset } from './jsonl.ts';
export type { TextLoadOptions } from './load.ts';
export { loadTextDataset, prepareTextDataset } from './load.ts';
export { tokenize } from './tokenize.ts';
export type { RawTextDataset, RawTextSplit } from './types.ts';
export { decodeUtf8, maxReviewBytes } from './utf8.ts';
export type { Vocabulary, VocabularyLimits } from './vocabulary.ts';
export {
  buildVocabulary,
  encodeInto,
  padId,
  parseVocabulary,
  unknownId,
  vocabularyIndex,
} from './vocabulary.ts';
