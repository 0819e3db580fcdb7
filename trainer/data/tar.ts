import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors.ts';

// Just enough of POSIX ustar (with pax `path` and GNU long-name records) to unpack dataset archives
// such as cifar-10-binary.tar.gz. Regular files and directories only; links are skipped.

const block = 512;

function text(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

function octal(bytes: Uint8Array, start: number, length: number, archive: string): number {
  const value = text(bytes, start, length).trim();
  if (!/^[0-7]*$/.test(value)) throw new DataError(archive, `corrupt tar header (size field '${value}')`);
  return value === '' ? 0 : Number.parseInt(value, 8);
}

function safeRelativePath(name: string, archive: string): string {
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (name.startsWith('/') || segments.includes('..') || name.includes('\\'))
    throw new DataError(archive, `entry '${name}' would be written outside the extraction directory`);
  return segments.join('/');
}

function paxPath(body: Uint8Array): string | undefined {
  // Records are "<length> <key>=<value>\n".
  for (const record of new TextDecoder().decode(body).split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match !== null) return match[1];
  }
  return undefined;
}

/** One regular file or directory of an archive, with its safe relative path. */
export interface TarEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory';
  readonly body: Uint8Array;
}

function gunzipIfGzip(bytes: Uint8Array, archive: string, maxBytes: number): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    throw new DataError(archive, `corrupt or too large gzip stream (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** The files and directories of a .tar (or gzipped .tar), in archive order; links are skipped. */
export function* tarEntries(
  archiveBytes: Uint8Array,
  archive: string,
  maxBytes: number,
): Generator<TarEntry> {
  const bytes = gunzipIfGzip(archiveBytes, archive, maxBytes);
  let nextName: string | undefined;
  for (let at = 0; at + block <= bytes.length; ) {
    const header = bytes.subarray(at, at + block);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12, archive);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(header, 257, 6) === 'ustar' ? text(header, 345, 155) : '';
    const headerName = prefix === '' ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`;
    const bodyStart = at + block;
    if (bodyStart + size > bytes.length)
      throw new DataError(
        archive,
        `truncated: entry '${headerName}' needs ${size} bytes past the end of the archive`,
      );
    const body = bytes.subarray(bodyStart, bodyStart + size);
    at = bodyStart + Math.ceil(size / block) * block;
    if (type === 'x') nextName = paxPath(body) ?? nextName;
    else if (type === 'L') nextName = text(body, 0, body.length);
    else if (type === 'g') continue;
    else {
      const name = safeRelativePath(nextName ?? headerName, archive);
      nextName = undefined;
      if (name === '') continue;
      if (type === '5') yield { name, kind: 'directory', body };
      else if (type === '0' || type === '\0') yield { name, kind: 'file', body };
    }
  }
}

/** Unpacks a .tar (or gzipped .tar) into `targetDir`; returns the relative paths of the files written. */
export async function extractTar(
  archiveBytes: Uint8Array,
  archive: string,
  targetDir: string,
  maxBytes: number,
): Promise<string[]> {
  const written: string[] = [];
  for (const entry of tarEntries(archiveBytes, archive, maxBytes)) {
    if (entry.kind === 'directory') await mkdir(join(targetDir, entry.name), { recursive: true });
    else {
      await mkdir(dirname(join(targetDir, entry.name)), { recursive: true });
      await writeFile(join(targetDir, entry.name), entry.body);
      written.push(entry.name);
    }
  }
  return written;
}
