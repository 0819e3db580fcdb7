import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../trainer/data/text/tokenize.ts';
import {
  buildVocabulary,
  encodeInto,
  parseVocabulary,
  unknownId,
  vocabularyIndex,
} from '../../../../trainer/data/text/vocabulary.ts';

const golden = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/tokenizer.json', import.meta.url), 'utf8'),
) as { cases: { text: string; tokens: string[] }[] };

describe('tokenize (golden fixture)', () => {
  it.each(golden.cases)('$text', ({ text, tokens }) => {
    expect(tokenize(text)).toEqual(tokens);
  });
});

describe('vocabulary', () => {
  const docs = [
    ['b', 'a', 'a', 'c'],
    ['a', 'b', 'd'],
    ['c', 'e', 'b'],
  ];

  it('puts <pad> and <unk> first, then words by count with ties in code-point order', () => {
    expect(buildVocabulary(docs, { maxVocab: 100, minCount: 1 }).tokens).toEqual([
      '<pad>',
      '<unk>',
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('drops words under minCount and caps the size at maxVocab entries', () => {
    expect(buildVocabulary(docs, { maxVocab: 100, minCount: 2 }).tokens).toEqual([
      '<pad>',
      '<unk>',
      'a',
      'b',
      'c',
    ]);
    expect(buildVocabulary(docs, { maxVocab: 4, minCount: 1 }).tokens).toEqual(['<pad>', '<unk>', 'a', 'b']);
  });

  it('encodes unknown words as <unk>, truncates to maxLength and pads with 0', () => {
    const index = vocabularyIndex(buildVocabulary(docs, { maxVocab: 100, minCount: 2 }));
    const short = new Float32Array(5);
    encodeInto(['a', 'zzz', 'c'], index, short);
    expect(Array.from(short)).toEqual([2, unknownId, 4, 0, 0]);
    const long = new Float32Array(2);
    encodeInto(['c', 'b', 'a'], index, long);
    expect(Array.from(long)).toEqual([4, 3]);
  });

  it('round-trips through JSON and refuses a stored vocabulary without its reserved entries', () => {
    const vocabulary = buildVocabulary(docs, { maxVocab: 100, minCount: 1 });
    expect(parseVocabulary(JSON.parse(JSON.stringify(vocabulary)))).toEqual(vocabulary);
    expect(() => parseVocabulary({ tokens: ['a', 'b'] })).toThrow('<pad> and <unk>');
    expect(() => parseVocabulary({ words: [] })).toThrow('expected { tokens');
  });
});
