import { join } from 'node:path';
import { DataError } from '../errors.ts';
import type { DataFiles } from '../files.ts';
import type { RawTextDataset, RawTextSplit } from './types.ts';
import { decodeUtf8, maxReviewBytes } from './utf8.ts';

// Users' own text: train.jsonl and test.jsonl, one JSON object per line,
// {"text": "…", "label": "…"}; the label must be one of `dataset.labels`, whose order is the
// class order (first = class 0). A final newline is fine; any other blank line is an error.

export const jsonlFiles = { train: 'train.jsonl', test: 'test.jsonl' } as const;

function parseLine(line: string, where: string, classOf: ReadonlyMap<string, number>): [string, number] {
  if (line.length > maxReviewBytes)
    throw new DataError(where, `line is over the ${maxReviewBytes}-character limit`);
  if (line.trim() === '') throw new DataError(where, 'empty line');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new DataError(where, `malformed JSON (${(error as Error).message})`);
  }
  const { text, label } = (value ?? {}) as { text?: unknown; label?: unknown };
  if (typeof value !== 'object' || Array.isArray(value) || typeof text !== 'string')
    throw new DataError(where, 'expected an object with a string "text"');
  if (text.trim() === '') throw new DataError(where, 'empty "text"');
  const k = typeof label === 'string' ? classOf.get(label) : undefined;
  if (k === undefined)
    throw new DataError(
      where,
      `"label" ${JSON.stringify(label)} is not one of dataset.labels (${[...classOf.keys()].join(', ')})`,
    );
  return [text, k];
}

/** Parses one JSONL split; `name` is used in error messages (`name:line`). */
export function parseJsonlSplit(bytes: Uint8Array, name: string, labels: readonly string[]): RawTextSplit {
  if (bytes.length === 0) throw new DataError(name, 'empty file');
  const lines = decodeUtf8(bytes, name).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const texts: string[] = [];
  const classes: number[] = [];
  lines.forEach((raw, i) => {
    const [text, k] = parseLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw, `${name}:${i + 1}`, classOf);
    texts.push(text);
    classes.push(k);
  });
  return { texts, labels: Int32Array.from(classes) };
}

export async function readJsonlDataset(
  files: DataFiles,
  dir: string,
  labels: readonly string[],
): Promise<RawTextDataset> {
  const read = async (file: string): Promise<RawTextSplit> => {
    const path = join(dir, file);
    if (!(await files.isFile(path)))
      throw new DataError(path, 'missing (JSONL datasets need train.jsonl and test.jsonl)');
    return parseJsonlSplit(await files.read(path), path, labels);
  };
  return { train: await read(jsonlFiles.train), test: await read(jsonlFiles.test), classNames: [...labels] };
}
