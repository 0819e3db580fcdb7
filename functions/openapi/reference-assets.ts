// Swagger UI's own files (swagger-ui-dist), served by the API so the reference works air-gapped.
// The deployed function finds them copied beside its handler (reference/…, written at bundling
// time); the Node server reads them from node_modules.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** The files the reference page loads, with their content types. */
export const referenceAssetTypes = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

export type ReferenceAssetName = keyof typeof referenceAssetTypes;
export const referenceAssetNames = Object.keys(referenceAssetTypes) as ReferenceAssetName[];
export const bundledReferenceDir = 'reference';

export type ReferenceAssets = (name: ReferenceAssetName) => Promise<string>;

export function referenceAssets(moduleUrl: string = import.meta.url): ReferenceAssets {
  const cache = new Map<ReferenceAssetName, Promise<string>>();
  return (name) => {
    let file = cache.get(name);
    if (file === undefined) {
      file = readFile(new URL(`./${bundledReferenceDir}/${name}`, moduleUrl), 'utf8').catch(() =>
        readFile(createRequire(moduleUrl).resolve(`swagger-ui-dist/${name}`), 'utf8'),
      );
      // A failed read is retried on the next request instead of being cached.
      file.catch(() => cache.delete(name));
      cache.set(name, file);
    }
    return file;
  };
}
