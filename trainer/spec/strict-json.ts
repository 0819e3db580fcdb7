// The one JSON reader for every spec the product reads (API bodies, `--spec` files, stored specs,
// benchmark bodies): JSON.parse silently keeps the last of two equal keys (`schedule` twice ran
// 9,999 epochs), so duplicates are refused, naming the key and where it is.
import { type JSONPath, visit } from 'jsonc-parser';

/** Where the text is wrong and why (the shape of a spec issue). */
export interface JsonIssue {
  readonly path: string;
  readonly rule: string;
}

export type JsonRead =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issue: JsonIssue };

const dotted = (path: JSONPath): string => path.map(String).join('.');

/** The first key an object of `text` names twice, with its object's path. */
function duplicateKey(text: string): JsonIssue | undefined {
  const open: Set<string>[] = [];
  let found: JsonIssue | undefined;
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
      const keys = open.at(-1);
      if (found !== undefined || keys === undefined) return;
      if (keys.has(property))
        found = {
          path: dotted([...pathSupplier(), property]),
          rule: `duplicate key '${property}' (each key may appear once in an object)`,
        };
      keys.add(property);
    },
  });
  return found;
}

/** Strict JSON (JSON.parse's grammar) with no key named twice in one object. */
export function readJson(text: string): JsonRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, issue: { path: '', rule: `malformed JSON: ${(error as Error).message}` } };
  }
  const duplicate = duplicateKey(text);
  return duplicate === undefined ? { ok: true, value } : { ok: false, issue: duplicate };
}
