import { z } from 'zod';
import { DataError } from '../errors.ts';
import { checkedImagePath, type ImageBlobs, readText } from './blobs.ts';
import { entriesOf, type ImageIndex } from './index-types.ts';

// iNaturalist 2018's published index (train2018.json, val2018.json; COCO-style): images
// {id, file_name}, annotations {image_id, category_id}, categories {id, name}. Category ids are
// mapped to contiguous classes in ascending id order; file_name is relative to the image root
// (the source directory, e.g. "train_val2018/Plantae/7477/3b6….jpg"). val2018 is the test set.

const indexSchema = z.object({
  images: z.array(z.object({ id: z.int(), file_name: z.string().min(1).max(1024) })),
  annotations: z.array(z.object({ image_id: z.int(), category_id: z.int() })),
  categories: z.array(z.object({ id: z.int(), name: z.string() })).optional(),
});
type InatIndexFile = z.infer<typeof indexSchema>;

async function readIndexFile(blobs: ImageBlobs, file: string): Promise<InatIndexFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readText(blobs, file));
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(file, `is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = indexSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError(
      file,
      `does not match the iNaturalist format at ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

function labelled(
  file: string,
  index: InatIndexFile,
  classOf: Map<number, number>,
): { path: string; label: number }[] {
  const pathOf = new Map(index.images.map((image) => [image.id, image.file_name]));
  return index.annotations.map((a, i) => {
    const path = pathOf.get(a.image_id);
    if (path === undefined)
      throw new DataError(
        `${file} annotations.${i}`,
        `names image id ${a.image_id}, which is not in its images`,
      );
    const label = classOf.get(a.category_id);
    if (label === undefined)
      throw new DataError(
        `${file} annotations.${i}`,
        `category ${a.category_id} is not among train2018.json's categories`,
      );
    return { path: checkedImagePath(path, `${file} annotations.${i}`), label };
  });
}

export async function readInaturalistIndex(blobs: ImageBlobs): Promise<ImageIndex> {
  const train = await readIndexFile(blobs, 'train2018.json');
  const val = await readIndexFile(blobs, 'val2018.json');
  const categories = train.categories ?? [];
  if (categories.length < 2) throw new DataError('train2018.json', 'lists fewer than 2 categories');
  const sorted = [...categories].sort((a, b) => a.id - b.id);
  const classOf = new Map(sorted.map((c, i) => [c.id, i]));
  return {
    train: entriesOf(labelled('train2018.json', train, classOf)),
    test: entriesOf(labelled('val2018.json', val, classOf)),
    classNames: sorted.map((c) => c.name),
    sourceClassIds: sorted.map((c) => c.id),
  };
}
