// `ldam datasets upload <dir> <name>`: copies a local dataset directory into the bucket (the
// configured S3 endpoint, or the embedded server on LDAM_DATA_DIR when none is configured) and
// prints the source to put in an experiment spec.

import { ExitCode } from '../process/exit-codes.ts';
import { openConfiguredOrEmbeddedStore } from '../store/config.ts';
import {
  DatasetSourceError,
  datasetSource,
  type UploadProgress,
  uploadDataset,
} from '../store/dataset-upload.ts';
import { InvalidKeyError } from '../store/keys.ts';

const usage = `usage: ldam datasets upload <dir> <name>

Copies <dir> to datasets/<name>/ in the bucket, with sha256 checksums in
datasets/<name>/manifest.json, verified after upload. <name>: 3–64 of [a-z0-9-].
Uses S3_ENDPOINT/S3_BUCKET/… when set, else the embedded server in LDAM_DATA_DIR.
`;

const MiB = 1024 * 1024;
// Same code as the dispatcher's usage errors.
const usageError = 2;

/** A one-line progress bar, redrawn in place on a terminal. */
function progressLine({ doneBytes, totalBytes, file, phase }: UploadProgress, width = 24): string {
  const fraction = totalBytes === 0 ? 1 : Math.min(1, doneBytes / totalBytes);
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
  const amount = `${(doneBytes / MiB).toFixed(1)}/${(totalBytes / MiB).toFixed(1)} MiB`;
  const label = phase === 'upload' ? 'uploading' : 'verifying';
  return `${label} [${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${amount} ${file}`.slice(
    0,
    120,
  );
}

function progressReporter(stream: NodeJS.WriteStream): {
  onProgress: (p: UploadProgress) => void;
  end(): void;
} {
  if (!stream.isTTY) return { onProgress: () => undefined, end: () => undefined };
  let lastDraw = 0;
  return {
    onProgress: (progress) => {
      const now = Date.now();
      if (now - lastDraw < 100 && progress.doneBytes < progress.totalBytes) return;
      lastDraw = now;
      stream.write(`\r\x1b[2K${progressLine(progress)}`);
    },
    end: () => stream.write('\r\x1b[2K'),
  };
}

export async function main(args: string[]): Promise<number> {
  const [command, dir, name, ...extra] = args;
  if (command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return ExitCode.ok;
  }
  if (command !== 'upload' || dir === undefined || name === undefined || extra.length > 0) {
    process.stderr.write(usage);
    return usageError;
  }
  const opened = await openConfiguredOrEmbeddedStore(process.env);
  const progress = progressReporter(process.stderr);
  try {
    if (opened.embedded !== undefined)
      process.stderr.write(`using the embedded S3 server (data in ${opened.embedded.dataDir})\n`);
    const manifest = await uploadDataset(opened.store, dir, name, { onProgress: progress.onProgress });
    progress.end();
    process.stderr.write(
      `uploaded ${manifest.files.length} files (${(manifest.totalBytes / MiB).toFixed(1)} MiB), checksums verified\n`,
    );
    process.stdout.write(`${datasetSource(opened.store, name)}\n`);
    return ExitCode.ok;
  } catch (error) {
    progress.end();
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`ldam datasets upload: ${message}\n`);
    return error instanceof DatasetSourceError || error instanceof InvalidKeyError
      ? ExitCode.dataError
      : ExitCode.failure;
  } finally {
    await opened.close();
  }
}
