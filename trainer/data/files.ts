import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, relative, sep } from 'node:path';
import { DataError } from './errors.ts';

/** Read access to a dataset directory; loaders use only this, so reads can be confined to roots. */
export interface DataFiles {
  read(path: string): Promise<Uint8Array>;
  /** Entries of a directory, sorted by name; symlinks are reported by what they point to. */
  list(dir: string): Promise<DirEntry[]>;
  /** True if a regular file (or a symlink to one) exists at the path. */
  isFile(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
}

export interface DirEntry {
  readonly name: string;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

/** True if `path` is `root` or lies below it (both already absolute and resolved). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Local files; with `roots`, every read resolves symlinks first and must land under one of them,
 * so a link inside an allowed directory cannot expose a file outside it.
 */
export function localDataFiles(roots?: readonly string[]): DataFiles {
  const confine = async (path: string): Promise<string> => {
    let real: string;
    try {
      real = await realpath(path);
    } catch (error) {
      throw new DataError(basename(path), 'does not exist or cannot be read', { cause: error });
    }
    if (roots !== undefined && !roots.some((root) => isWithin(root, real)))
      throw new DataError(basename(path), `resolves to ${real}, outside the allowed data roots`);
    return real;
  };
  const kind = async (path: string) => {
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    return exists ? stat(await confine(path)) : undefined;
  };
  return {
    read: async (path) => {
      const real = await confine(path);
      try {
        return await readFile(real);
      } catch (error) {
        throw new DataError(basename(path), `cannot be read (${(error as Error).message})`, { cause: error });
      }
    },
    list: async (dir) => {
      const real = await confine(dir);
      const names = (await readdir(real)).sort();
      const entries: DirEntry[] = [];
      for (const name of names) {
        const info = await kind(`${real}${sep}${name}`);
        entries.push({ name, isFile: info?.isFile() ?? false, isDirectory: info?.isDirectory() ?? false });
      }
      return entries;
    },
    isFile: async (path) => (await kind(path))?.isFile() ?? false,
    isDirectory: async (path) => (await kind(path))?.isDirectory() ?? false,
  };
}
