import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

// Small datasets in the published layouts, with real JPEGs: class c's images are a solid colour
// (so a decoded pixel tells its class), one grayscale image per dataset, varied sizes for iNaturalist.

export const classColours = [
  [200, 40, 40],
  [40, 200, 40],
  [40, 40, 200],
  [200, 200, 40],
] as const;

export async function jpegOf(
  width: number,
  height: number,
  rgb: readonly number[],
  options: { grayscale?: boolean; cmyk?: boolean } = {},
): Promise<Buffer> {
  const [r = 0, g = 0, b = 0] = rgb;
  let image = sharp({ create: { width, height, channels: 3, background: { r, g, b } } });
  if (options.grayscale === true) image = image.toColourspace('b-w');
  if (options.cmyk === true) image = image.toColourspace('cmyk');
  return image.jpeg({ quality: 95 }).toBuffer();
}

async function put(path: string, body: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
}

export interface TinyImagenetLayout {
  readonly wnids: readonly string[];
  readonly trainPerClass: number;
  readonly valPerClass: number;
  readonly side?: number;
}

/** wnids.txt (unsorted on purpose), train/<wnid>/images/<wnid>_<i>.JPEG, val/images + val_annotations.txt. */
export async function writeTinyImagenet(root: string, layout: TinyImagenetLayout): Promise<void> {
  const side = layout.side ?? 16;
  await put(join(root, 'wnids.txt'), `${[...layout.wnids].reverse().join('\n')}\n`);
  const sorted = [...layout.wnids].sort();
  const annotations: string[] = [];
  let v = 0;
  for (const [c, wnid] of sorted.entries()) {
    const colour = classColours[c % classColours.length] ?? [0, 0, 0];
    for (let i = 0; i < layout.trainPerClass; i++) {
      const gray = c === 0 && i === 0;
      await put(
        join(root, 'train', wnid, 'images', `${wnid}_${i}.JPEG`),
        await jpegOf(side, side, colour, { grayscale: gray }),
      );
    }
    await put(join(root, 'train', wnid, `${wnid}_boxes.txt`), '');
    for (let i = 0; i < layout.valPerClass; i++, v++) {
      await put(join(root, 'val', 'images', `val_${v}.JPEG`), await jpegOf(side, side, colour));
      annotations.push(`val_${v}.JPEG\t${wnid}\t0\t0\t${side - 1}\t${side - 1}`);
    }
  }
  await put(join(root, 'val', 'val_annotations.txt'), `${annotations.join('\n')}\n`);
}

export interface InatLayout {
  /** Category id → training images, val images (ids deliberately non-contiguous). */
  readonly categories: readonly { id: number; train: number; val: number }[];
}

/** train2018.json / val2018.json (COCO-style) and train_val2018/<cat>/<n>.jpg of varied sizes. */
export async function writeInaturalist(root: string, layout: InatLayout): Promise<void> {
  const categories = layout.categories.map((c) => ({ id: c.id, name: `species ${c.id}` }));
  let imageId = 1000;
  const files = { train: [] as object[], val: [] as object[] };
  const annotations = { train: [] as object[], val: [] as object[] };
  const sortedIds = layout.categories.map((c) => c.id).sort((a, b) => a - b);
  for (const category of layout.categories) {
    const colour = classColours[sortedIds.indexOf(category.id) % classColours.length] ?? [0, 0, 0];
    for (const split of ['train', 'val'] as const) {
      for (let i = 0; i < category[split]; i++, imageId++) {
        const file_name = `train_val2018/Plantae/${category.id}/${imageId}.jpg`;
        // Landscape and portrait photos of different sizes, as iNaturalist's are.
        const [w, h] = i % 2 === 0 ? [40 + i, 30] : [30, 44 + i];
        await put(join(root, file_name), await jpegOf(w, h, colour, { cmyk: i === 1 }));
        files[split].push({ id: imageId, file_name, width: w, height: h });
        annotations[split].push({ id: imageId, image_id: imageId, category_id: category.id });
      }
    }
  }
  for (const split of ['train', 'val'] as const)
    await put(
      join(root, `${split}2018.json`),
      JSON.stringify({
        info: {},
        images: files[split],
        annotations: annotations[split],
        categories,
        licenses: [],
      }),
    );
}

/** train.jsonl / test.jsonl with images under img/. */
export async function writeManifest(
  root: string,
  perClass: readonly number[],
  testPerClass: number,
): Promise<void> {
  for (const [split, counts] of [
    ['train', perClass],
    ['test', perClass.map(() => testPerClass)],
  ] as const) {
    const lines: string[] = [];
    for (const [label, n] of counts.entries())
      for (let i = 0; i < n; i++) {
        const path = `img/${split}/${label}-${i}.jpg`;
        await put(
          join(root, path),
          await jpegOf(20, 20, classColours[label] ?? [0, 0, 0], { grayscale: label === 1 && i === 0 }),
        );
        lines.push(JSON.stringify({ path, label }));
      }
    await put(join(root, `${split}.jsonl`), `${lines.join('\n')}\n`);
  }
}
