// The tokeniser's fixed rules (documented in the README; golden fixture in
// tests/fixtures/golden/tokenizer.json), applied in this order:
// 1. `<br />` line breaks (any case, with or without the space or slash) become spaces;
// 2. the text is lower-cased (locale-independent `toLowerCase`);
// 3. a token is a run of letters and digits, with apostrophes inside it kept ("don't", "90's");
//    every other character that is not white space is a token of its own (punctuation split).

const lineBreak = /<br\s*\/?>/gi;
const token = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;

export function tokenize(text: string): string[] {
  return text.replace(lineBreak, ' ').toLowerCase().match(token) ?? [];
}
