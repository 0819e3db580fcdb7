import { join } from 'node:path';
import type { ObjectSource } from '../download.ts';
import { DataError } from '../errors.ts';
import type { DataFiles } from '../files.ts';
import type { S3Location } from '../source-policy.ts';

/** Files of an image dataset by their '/'-separated path relative to the dataset's root. */
export interface ImageBlobs {
  read(path: string): Promise<Uint8Array>;
  /** Names of the files directly in a directory (relative path, '' for the root), sorted. */
  listFiles(dir: string): Promise<string[]>;
  /** Where the dataset lives, for run.json and messages. */
  describe(): string;
}

/** Rejects absolute paths and '..' so an index cannot read outside its dataset. */
export function checkedImagePath(path: string, subject: string): string {
  const segments = path.split('/');
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0'))
    throw new DataError(subject, `image path '${path}' must be relative and '/'-separated`);
  if (segments.some((s) => s === '..' || s === '.' || s === ''))
    throw new DataError(subject, `image path '${path}' must not contain '.', '..' or empty segments`);
  return path;
}

/** A local directory, read through the confined DataFiles; a missing file is a DataError naming its path. */
export function localBlobs(files: DataFiles, dir: string): ImageBlobs {
  return {
    read: async (path) => {
      try {
        return await files.read(join(dir, ...path.split('/')));
      } catch (error) {
        if (error instanceof DataError)
          throw new DataError(path, 'is missing or cannot be read', { cause: error });
        throw error;
      }
    },
    listFiles: async (sub) => {
      const path = sub === '' ? dir : join(dir, ...sub.split('/'));
      if (!(await files.isDirectory(path))) throw new DataError(sub || dir, 'is not a directory');
      return (await files.list(path)).filter((e) => e.isFile).map((e) => e.name);
    },
    describe: () => dir,
  };
}

/** Objects under an s3:// prefix, one GET per file. */
export function objectBlobs(location: S3Location, objects: ObjectSource): ImageBlobs {
  return {
    read: async (path) => {
      try {
        return await objects.get(`${location.prefix}${path}`);
      } catch (error) {
        if ((error as Error).name === 'StoreNotFoundError')
          throw new DataError(path, `is missing under s3://${location.bucket}/${location.prefix}`, {
            cause: error,
          });
        throw error;
      }
    },
    listFiles: async (sub) => {
      const prefix = `${location.prefix}${sub === '' ? '' : `${sub}/`}`;
      const names = (await objects.list(prefix))
        .map((o) => o.key.slice(prefix.length))
        .filter((rest) => rest !== '' && !rest.includes('/'));
      if (names.length === 0)
        throw new DataError(sub || prefix, `holds no files under s3://${location.bucket}/`);
      return names.sort();
    },
    describe: () => `s3://${location.bucket}/${location.prefix}`,
  };
}

export async function readText(blobs: ImageBlobs, path: string): Promise<string> {
  return new TextDecoder().decode(await blobs.read(path));
}
