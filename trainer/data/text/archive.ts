import { posix } from 'node:path';
import { DataError } from '../errors.ts';
import type { DataFiles, DirEntry } from '../files.ts';
import { tarEntries } from '../tar.ts';

// A .tar(.gz) read in memory as a DataFiles tree rooted at `root`, so text loaders read an archive
// and a directory the same way and nothing is unpacked to disk.

export function archiveDataFiles(
  bytes: Uint8Array,
  archive: string,
  root: string,
  maxBytes: number,
): DataFiles {
  const files = new Map<string, Uint8Array>();
  const children = new Map<string, Map<string, boolean>>();
  const addDir = (dir: string): void => {
    if (children.has(dir)) return;
    children.set(dir, new Map());
    if (dir === '') return;
    const parent = posix.dirname(dir) === '.' ? '' : posix.dirname(dir);
    addDir(parent);
    children.get(parent)?.set(posix.basename(dir), false);
  };
  addDir('');
  for (const entry of tarEntries(bytes, archive, maxBytes)) {
    if (entry.kind === 'directory') addDir(entry.name);
    else {
      const parent = posix.dirname(entry.name) === '.' ? '' : posix.dirname(entry.name);
      addDir(parent);
      children.get(parent)?.set(posix.basename(entry.name), true);
      files.set(entry.name, entry.body);
    }
  }
  const key = (path: string): string => {
    const rel = posix.relative(root, path);
    return rel.startsWith('..') ? `\0${path}` : rel;
  };
  return {
    read: async (path) => {
      const body = files.get(key(path));
      if (body === undefined) throw new DataError(path, `not in ${archive}`);
      return body;
    },
    list: async (dir) => {
      const entries = children.get(key(dir));
      if (entries === undefined) throw new DataError(dir, `not a directory of ${archive}`);
      return [...entries]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, isFile]): DirEntry => ({ name, isFile, isDirectory: !isFile }));
    },
    isFile: async (path) => files.has(key(path)),
    isDirectory: async (path) => children.has(key(path)),
  };
}
