import { DataError } from '../errors.ts';
import { type ImageBlobs, readText } from './blobs.ts';
import { entriesOf, type ImageIndex } from './index-types.ts';

// The published layout (cs231n's tiny-imagenet-200): wnids.txt (one WordNet id per line),
// train/<wnid>/images/*.JPEG, val/images/*.JPEG labelled by val/val_annotations.txt
// (tab-separated: file, wnid, box). The labelled val split is the balanced test set, as in the
// paper. Classes are the wnids sorted, torchvision ImageFolder's order on train/.

const jpeg = /\.jpe?g$/i;

async function readWnids(blobs: ImageBlobs): Promise<string[]> {
  const wnids = (await readText(blobs, 'wnids.txt'))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (wnids.length < 2)
    throw new DataError('wnids.txt', `lists ${wnids.length} class(es); at least 2 are needed`);
  const duplicate = wnids.find((w, i) => wnids.indexOf(w) !== i);
  if (duplicate !== undefined) throw new DataError('wnids.txt', `lists '${duplicate}' twice`);
  const bad = wnids.find((w) => !/^[A-Za-z0-9_-]+$/.test(w));
  if (bad !== undefined) throw new DataError('wnids.txt', `'${bad}' is not a valid class id`);
  return wnids.sort();
}

async function readValAnnotations(
  blobs: ImageBlobs,
  classOf: Map<string, number>,
): Promise<{ path: string; label: number }[]> {
  const file = 'val/val_annotations.txt';
  const images = new Set((await blobs.listFiles('val/images')).filter((n) => jpeg.test(n)));
  const items: { path: string; label: number }[] = [];
  (await readText(blobs, file)).split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const [name = '', wnid = ''] = line.split('\t');
    const where = `${file} line ${i + 1}`;
    const label = classOf.get(wnid);
    if (label === undefined) throw new DataError(where, `class '${wnid}' is not in wnids.txt`);
    if (!images.has(name)) throw new DataError(where, `names image '${name}', which is not in val/images`);
    items.push({ path: `val/images/${name}`, label });
  });
  if (items.length === 0) throw new DataError(file, 'labels no images');
  return items;
}

export async function readTinyImagenetIndex(blobs: ImageBlobs): Promise<ImageIndex> {
  const wnids = await readWnids(blobs);
  const classOf = new Map(wnids.map((w, i) => [w, i]));
  const train: { path: string; label: number }[] = [];
  for (const [label, wnid] of wnids.entries()) {
    const dir = `train/${wnid}/images`;
    const names = (await blobs.listFiles(dir)).filter((n) => jpeg.test(n));
    if (names.length === 0) throw new DataError(dir, 'holds no .JPEG images');
    for (const name of names) train.push({ path: `${dir}/${name}`, label });
  }
  return {
    train: entriesOf(train),
    test: entriesOf(await readValAnnotations(blobs, classOf)),
    classNames: wnids,
  };
}
