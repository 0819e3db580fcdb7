// `ldam datasets upload <dir> <name>`: copies a local dataset directory into the bucket (the
// configured S3 endpoint, or the embedded server on LDAM_DATA_DIR when none is configured) and
// prints the source to put in an experiment spec.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode } from '../process/exit-codes.ts';
import { openConfiguredOrEmbeddedStore } from '../store/config.ts';
import { stageShardedDataset } from '../store/dataset-shards.ts';
import {
  type DatasetManifest,
  DatasetSourceError,
  datasetSource,
  type UploadProgress,
  uploadDataset,
} from '../store/dataset-upload.ts';
import { InvalidKeyError } from '../store/keys.ts';
import type { Store } from '../store/store.ts';

const usage = `usage: ldam datasets upload <dir> <name> [--shard [--shard-mb <MiB>]]

Copies <dir> to datasets/<name>/ in the bucket, with sha256 checksums in
datasets/<name>/manifest.json, verified after upload. <name>: 3–64 of [a-z0-9-].
--shard packs the images (.jpg, .jpeg, .png) into tar shards of --shard-mb MiB
(default 256) with shards/index.json, and uploads the other files as they are:
for image datasets of many small files (Tiny ImageNet, iNaturalist). It stages
the shards in a temporary directory first (as much free disk as the images).
Uses S3_ENDPOINT/S3_BUCKET/… when set, else the embedded server in LDAM_DATA_DIR.
`;

const MiB = 1024 * 1024;
/** Uploads the directory as it is, or staged with its images in shards (removed afterwards). */
async function uploadMaybeSharded(
  store: Store,
  args: UploadArgs,
  onProgress: (p: UploadProgress) => void,
): Promise<DatasetManifest> {
  if (args.shardBytes === undefined) return uploadDataset(store, args.dir, args.name, { onProgress });
  const staging = await mkdtemp(join(tmpdir(), 'ldam-shards-'));
  try {
    const staged = await stageShardedDataset(args.dir, staging, args.shardBytes);
    process.stderr.write(`packed ${staged.images} images into ${staged.shards} shard(s)\n`);
    return await uploadDataset(store, staging, args.name, { onProgress });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

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

interface UploadArgs {
  readonly dir: string;
  readonly name: string;
  readonly shardBytes: number | undefined;
}

function parseUploadArgs(args: string[]): UploadArgs | undefined {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { shard: { type: 'boolean' }, 'shard-mb': { type: 'string' } },
    });
  } catch {
    return undefined;
  }
  const [command, dir, name, ...extra] = parsed.positionals;
  const mb = parsed.values['shard-mb'];
  const shardMiB = typeof mb === 'string' ? Number(mb) : 256;
  if (command !== 'upload' || dir === undefined || name === undefined || extra.length > 0) return undefined;
  if (!Number.isInteger(shardMiB) || shardMiB < 1 || shardMiB > 5 * 1024) return undefined;
  return { dir, name, shardBytes: parsed.values.shard === true ? shardMiB * MiB : undefined };
}

export async function main(args: string[]): Promise<number> {
  if (args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(usage);
    return ExitCode.ok;
  }
  const parsed = parseUploadArgs(args);
  if (parsed === undefined) {
    process.stderr.write(usage);
    return usageError;
  }
  const { name } = parsed;
  const opened = await openConfiguredOrEmbeddedStore(process.env);
  const progress = progressReporter(process.stderr);
  try {
    if (opened.embedded !== undefined)
      process.stderr.write(`using the embedded S3 server (data in ${opened.embedded.dataDir})\n`);
    const manifest = await uploadMaybeSharded(opened.store, parsed, progress.onProgress);
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
