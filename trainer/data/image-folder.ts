import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from './errors.ts';
import type { DataFiles } from './files.ts';
import type { RawDataset, RawSplit } from './types.ts';

// Layout: <source>/{train,test}/<className>/*.{png,jpg,jpeg}; class index = position of the class
// name in the alphabetically sorted training folder names (torchvision's ImageFolder convention).

const imageExtension = /\.(png|jpe?g)$/i;

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** height × width × channels bytes (alpha dropped). */
  readonly pixels: Uint8Array;
}

/** Decodes a PNG (grayscale PNGs keep one channel) or a JPEG (always RGB) to HWC bytes. */
export function decodeImage(bytes: Uint8Array, fileName: string): DecodedImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (/\.png$/i.test(fileName)) {
      const png = PNG.sync.read(buffer);
      const channels = png.colorType === 0 || png.colorType === 4 ? 1 : 3;
      const n = png.width * png.height;
      const pixels = new Uint8Array(n * channels);
      for (let p = 0; p < n; p++)
        for (let c = 0; c < channels; c++) pixels[p * channels + c] = png.data[p * 4 + c] ?? 0;
      return { width: png.width, height: png.height, channels, pixels };
    }
    const image = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: false });
    return { width: image.width, height: image.height, channels: 3, pixels: image.data };
  } catch (error) {
    throw new DataError(fileName, `cannot be decoded (${(error as Error).message})`, { cause: error });
  }
}

interface LabelledImage {
  readonly file: string;
  readonly label: number;
  readonly image: DecodedImage;
}

async function readSplitImages(
  files: DataFiles,
  root: string,
  split: 'train' | 'test',
  classNames: readonly string[],
): Promise<LabelledImage[]> {
  const splitDir = join(root, split);
  const images: LabelledImage[] = [];
  for (const entry of await files.list(splitDir)) {
    if (!entry.isDirectory || entry.name.startsWith('.')) continue;
    const label = classNames.indexOf(entry.name);
    if (label < 0) throw new DataError(`${split}/${entry.name}`, 'is not a class of the training set');
    for (const file of await files.list(join(splitDir, entry.name))) {
      if (!file.isFile || !imageExtension.test(file.name)) continue;
      const relativeName = `${split}/${entry.name}/${file.name}`;
      const bytes = await files.read(join(splitDir, entry.name, file.name));
      images.push({ file: relativeName, label, image: decodeImage(bytes, relativeName) });
    }
  }
  return images;
}

function pack(images: readonly LabelledImage[], height: number, width: number, channels: 1 | 3): RawSplit {
  const size = height * width * channels;
  const values = new Uint8Array(images.length * size);
  const labels = new Int32Array(images.length);
  images.forEach(({ image, label }, i) => {
    labels[i] = label;
    if (image.channels === channels) {
      values.set(image.pixels, i * size);
      return;
    }
    // A grayscale image in a colour dataset: repeat its one channel.
    for (let p = 0; p < height * width; p++)
      for (let c = 0; c < channels; c++) values[i * size + p * channels + c] = image.pixels[p] ?? 0;
  });
  return { values, labels, count: images.length };
}

/** Class names of an image-folder dataset: the training subfolders, sorted. */
export async function imageFolderClassNames(files: DataFiles, root: string): Promise<string[]> {
  const trainDir = join(root, 'train');
  if (!(await files.isDirectory(trainDir))) throw new DataError(root, 'has no train/ directory');
  return (await files.list(trainDir))
    .filter((e) => e.isDirectory && !e.name.startsWith('.'))
    .map((e) => e.name);
}

/** Reads `<root>/train` and `<root>/test`; every image must have the first training image's size. */
export async function readImageFolderDataset(files: DataFiles, root: string): Promise<RawDataset> {
  const classNames = await imageFolderClassNames(files, root);
  if (classNames.length === 0) throw new DataError(`${root}/train`, 'has no class subfolders');
  if (!(await files.isDirectory(join(root, 'test')))) throw new DataError(root, 'has no test/ directory');
  const train = await readSplitImages(files, root, 'train', classNames);
  const test = await readSplitImages(files, root, 'test', classNames);
  const first = train[0];
  if (first === undefined) throw new DataError(`${root}/train`, 'contains no .png, .jpg or .jpeg images');
  const { height, width } = first.image;
  for (const { file, image } of [...train, ...test])
    if (image.height !== height || image.width !== width)
      throw new DataError(
        file,
        `is ${image.width}×${image.height} but ${first.file} is ${width}×${height}; all images must share one size`,
      );
  const channels = [...train, ...test].some(({ image }) => image.channels === 3) ? 3 : 1;
  return {
    train: pack(train, height, width, channels),
    test: pack(test, height, width, channels),
    exampleShape: [height, width, channels],
    classNames,
  };
}
