import { numberedClassNames } from '../class-names.ts';
import { DataError } from '../errors.ts';
import { checkedImagePath, type ImageBlobs, readText } from './blobs.ts';
import { entriesOf, type ImageEntries, type ImageIndex } from './index-types.ts';

// A generic image dataset: train.jsonl and test.jsonl at the source root, one JSON object per line,
// {"path": "<relative image path>", "label": <class index 0..numClasses−1>}.

function readLines(text: string, file: string, numClasses: number): ImageEntries {
  const items: { path: string; label: number }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DataError(where, 'is not valid JSON');
    }
    const { path, label } = (value ?? {}) as { path?: unknown; label?: unknown };
    if (typeof path !== 'string') throw new DataError(where, '"path" must be a string');
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= numClasses)
      throw new DataError(where, `"label" must be an integer in [0, ${numClasses - 1}] (dataset.numClasses)`);
    items.push({ path: checkedImagePath(path, where), label });
  });
  if (items.length === 0) throw new DataError(file, 'lists no images');
  return entriesOf(items);
}

export async function readManifestIndex(blobs: ImageBlobs, numClasses: number): Promise<ImageIndex> {
  return {
    train: readLines(await readText(blobs, 'train.jsonl'), 'train.jsonl', numClasses),
    test: readLines(await readText(blobs, 'test.jsonl'), 'test.jsonl', numClasses),
    classNames: numberedClassNames(numClasses),
  };
}
