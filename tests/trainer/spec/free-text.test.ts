import { describe, expect, it } from 'vitest';
import { freeText, printable } from '../../../trainer/spec/free-text.ts';
import { parseExperimentSpec, SpecValidationError } from '../../../trainer/spec/index.ts';

const spec = (name: string) => ({ version: 1, name, dataset: { name: 'cifar10' } });

describe('free text', () => {
  it.each([
    ['ESC (clears a terminal)', 'run\u001b[2J', 'U+001B at position 3'],
    ['NUL', 'a\u0000b', 'U+0000 at position 1'],
    ['a right-to-left override', 'abc\u202Etxt.exe', 'U+202E at position 3'],
    ['a bidi isolate', '\u2066x', 'U+2066 at position 0'],
    ['a line feed', 'one\ntwo', 'U+000A at position 3'],
  ])('refuses %s in a job name, naming the field and the character', (_what, name, where) => {
    let error: unknown;
    try {
      parseExperimentSpec(spec(name));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    const issue = (error as SpecValidationError).issues.find((i) => i.path === 'name');
    expect(issue?.rule).toContain(where);
  });

  it('accepts ordinary text in any script', () => {
    expect(parseExperimentSpec(spec('LDAM-DRW · CIFAR-10 长尾 ρ=100')).name).toBe(
      'LDAM-DRW · CIFAR-10 长尾 ρ=100',
    );
    expect(freeText(10).safeParse('x'.repeat(11)).success).toBe(false);
  });

  it('prints stored text with every such character escaped', () => {
    expect(printable('a\u001b[2Jb\u202E')).toBe('a\\u{1b}[2Jb\\u{202e}');
    expect(printable('row 1\nrow 2\u0007', { keepNewlines: true })).toBe('row 1\nrow 2\\u{7}');
  });
});
