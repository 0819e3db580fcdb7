// `ldam datasets upload --shard`: stages a dataset directory for upload with its images packed into
// tar shards (trainer/data/shards/format.ts) and every other file (index JSON, wnids.txt, …) as it
// is, so the upload itself stays the ordinary checksummed one (dataset-upload.ts).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import {
  type ShardIndex,
  shardDir,
  shardIndexPath,
  shardName,
  tarEnd,
  tarHeader,
  tarPadding,
} from '../data/shards/format.ts';
import { DatasetSourceError } from './dataset-upload.ts';

const imageFile = /\.(jpe?g|png)$/i;
/** 256 MiB shards: few objects, and a ranged GET reads one image out of one. */
export const defaultShardBytes = 256 * 1024 ** 2;

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  await visit(root);
  return out.sort();
}

export interface StagedShards {
  readonly images: number;
  readonly shards: number;
  readonly otherFiles: number;
}

class ShardWriter {
  private stream: ReturnType<typeof createWriteStream> | undefined;
  private offset = 0;
  readonly index: ShardIndex = { version: 1, shards: [], files: {} };
  constructor(
    private readonly staging: string,
    private readonly shardBytes: number,
  ) {}

  async add(path: string, body: Uint8Array): Promise<void> {
    if (this.stream === undefined || (this.offset > 0 && this.offset + body.length > this.shardBytes))
      await this.next();
    const header = tarHeader(path, body.length);
    const shard = this.index.shards.length - 1;
    this.index.files[path] = [shard, this.offset + header.length, body.length];
    for (const part of [header, body, tarPadding(body.length)]) await this.write(part);
  }

  async close(): Promise<void> {
    await this.finishShard();
  }

  private async next(): Promise<void> {
    await this.finishShard();
    const path = shardName(this.index.shards.length);
    await mkdir(dirname(join(this.staging, path)), { recursive: true });
    this.stream = createWriteStream(join(this.staging, path));
    this.index.shards.push({ path, size: 0 });
    this.offset = 0;
  }

  private async finishShard(): Promise<void> {
    if (this.stream === undefined) return;
    await this.write(tarEnd);
    const stream = this.stream;
    this.stream = undefined;
    stream.end();
    await once(stream, 'finish');
    const last = this.index.shards[this.index.shards.length - 1];
    if (last !== undefined) last.size = this.offset;
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (this.stream === undefined || bytes.length === 0) return;
    this.offset += bytes.length;
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
  }
}

/** Writes `staging`: shards/shard-*.tar + shards/index.json for the images of `dir`, other files copied. */
export async function stageShardedDataset(
  dir: string,
  staging: string,
  shardBytes = defaultShardBytes,
): Promise<StagedShards> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw new DatasetSourceError(`'${dir}' is not a directory`);
  const files = await walk(dir);
  if (files.some((f) => f === shardDir || f.startsWith(`${shardDir}/`)))
    throw new DatasetSourceError(`'${dir}/${shardDir}/' would collide with the shards the upload writes`);
  const writer = new ShardWriter(staging, shardBytes);
  let images = 0;
  let otherFiles = 0;
  for (const path of files) {
    if (imageFile.test(path)) {
      await writer.add(path, await readFile(join(dir, path)));
      images += 1;
    } else {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await copyFile(join(dir, path), join(staging, path));
      otherFiles += 1;
    }
  }
  await writer.close();
  if (images === 0) throw new DatasetSourceError(`'${dir}' holds no .jpg, .jpeg or .png images to shard`);
  await writeFile(join(staging, shardIndexPath), JSON.stringify(writer.index));
  return { images, shards: writer.index.shards.length, otherFiles };
}
