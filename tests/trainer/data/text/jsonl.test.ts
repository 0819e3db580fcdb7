import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../../trainer/data/load.ts';
import { parseExperimentSpec } from '../../../../trainer/spec/index.ts';
import { makeTempDir } from '../fixtures.ts';

let base: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: base, cleanup } = await makeTempDir()));
afterEach(() => cleanup());
const env = () => ({ LDAM_DATA_DIR: join(base, 'data'), LDAM_DATA_ROOTS: base });

const spec = (labels = ['spam', 'ham']) =>
  parseExperimentSpec({
    version: 1,
    dataset: {
      name: 'custom',
      format: 'jsonl',
      labels,
      source: join(base, 'set'),
      imbalance: { type: 'none' },
      text: { minCount: 1, maxLength: 4 },
    },
    model: { arch: 'bilstm' },
  }).dataset;

const line = (text: string, label: string) => JSON.stringify({ text, label });

async function write(train: string, test: string): Promise<void> {
  await mkdir(join(base, 'set'), { recursive: true });
  await writeFile(join(base, 'set', 'train.jsonl'), train);
  await writeFile(join(base, 'set', 'test.jsonl'), test);
}

describe('JSONL text loader', () => {
  it('maps labels to classes in the stated order', async () => {
    await write(
      `${[line('buy now', 'spam'), line('hello friend', 'ham'), line('cheap pills', 'spam')].join('\n')}\n`,
      `${line('hi there', 'ham')}\r\n${line('buy pills', 'spam')}\n`,
    );
    const data = await loadDataset(spec(['ham', 'spam']), { env: env() });
    expect(data.classNames).toEqual(['ham', 'spam']);
    expect(Array.from(data.train.labels)).toEqual([1, 0, 1]);
    expect(data.classCounts).toEqual([1, 2]);
    expect(Array.from(data.test.labels)).toEqual([0, 1]);
  });

  const bad: [string, string, string, string][] = [
    [
      'a malformed line',
      `${line('ok', 'spam')}\n{"text": "broken"\n`,
      line('x', 'ham'),
      'train.jsonl:2: malformed JSON',
    ],
    [
      'an unknown label',
      line('ok', 'spam'),
      `${line('x', 'ham')}\n${line('y', 'eggs')}`,
      'test.jsonl:2: "label" "eggs" is not one of dataset.labels',
    ],
    [
      'a blank line in the middle',
      `${line('a', 'spam')}\n\n${line('b', 'ham')}\n`,
      line('x', 'ham'),
      'train.jsonl:2: empty line',
    ],
    ['an empty file', '', line('x', 'ham'), 'train.jsonl: empty file'],
    [
      'a text that is not a string',
      '{"text": 5, "label": "spam"}',
      line('x', 'ham'),
      'train.jsonl:1: expected an object with a string "text"',
    ],
    ['a class without training texts', line('a', 'spam'), line('x', 'ham'), "class 1 ('ham') has no"],
  ];
  it.each(bad)('refuses %s, naming file and line', async (_, train, test, message) => {
    await write(train, test);
    await expect(loadDataset(spec(), { env: env() })).rejects.toMatchObject({
      name: 'DataError',
      message: expect.stringContaining(message),
    });
  });

  it('refuses a missing test file', async () => {
    await mkdir(join(base, 'set'), { recursive: true });
    await writeFile(join(base, 'set', 'train.jsonl'), line('a', 'spam'));
    await expect(loadDataset(spec(), { env: env() })).rejects.toThrow('test.jsonl: missing');
  });
});
