// Free text a user names things with (job and benchmark names, class labels): printed later by
// terminals and pages, so control characters (ESC clears a terminal, NUL truncates) and bidi
// overrides (which reorder what a reader sees, Trojan Source, CVE-2021-42574) are refused.
import { z } from 'zod';

/** C0/C1 controls and DEL, line/paragraph separators, and the bidi embedding, override and isolate marks. */
export const unsafeTextPattern = /[\p{Cc}\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

const codePoint = (char: string): string =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** A string of 1…max characters with none of the characters above. */
export function freeText(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      const found = unsafeTextPattern.exec(text);
      if (found !== null)
        ctx.addIssue({
          code: 'custom',
          message: `contains ${codePoint(found[0])} at position ${found.index}: control and bidirectional-override characters are not allowed`,
        });
    });
}

const unsafeEverywhere = new RegExp(unsafeTextPattern.source, 'gu');

/**
 * Text for a terminal: every character above as a visible \u{…} escape (line feeds kept when
 * the text is a multi-line block of the CLI's own making).
 */
export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(unsafeEverywhere, (c) =>
    c === '\n' && options.keepNewlines ? c : `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`,
  );
}
