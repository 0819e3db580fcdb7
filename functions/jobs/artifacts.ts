// A job's stored objects as artifacts: the list, and downloads streamed through the API. The
// embedded store is reachable only from this host with this start's credentials, so its
// presigned URLs would help no client: there (mode 'api') every URL points at the API route,
// which checks the caller's key like every other route. Remote stores (mode 'store') keep
// presigned URLs, so large checkpoints do not pass through the API.
import type { Readable } from 'node:stream';
import { checkedRelativePath, InvalidKeyError, isValidJobId, runKey } from '../../trainer/store/keys.ts';
import { type Store, StoreNotFoundError } from '../../trainer/store/store.ts';
import { InvalidInput, NotFound } from '../errors.ts';
import type { ArtifactList } from '../http/schemas.ts';
import type { JobRecords } from './records.ts';

export type ArtifactUrlMode = 'api' | 'store';

export interface ArtifactDownload {
  readonly body: Readable;
  readonly size: number;
  readonly name: string;
}

/** The API route serving one artifact; the name is one path segment (its slashes encoded). */
export const artifactPath = (jobId: string, name: string): string =>
  `/v1/jobs/${jobId}/artifacts/${encodeURIComponent(name)}`;

export class Artifacts {
  readonly #store: Store;
  readonly #records: JobRecords;
  readonly #mode: ArtifactUrlMode;

  constructor(store: Store, records: JobRecords, mode: ArtifactUrlMode) {
    this.#store = store;
    this.#records = records;
    this.#mode = mode;
  }

  async list(owner: string, id: string): Promise<ArtifactList> {
    await this.#owned(owner, id);
    const prefix = runKey(id);
    const objects = await this.#store.list(prefix);
    const artifacts = await Promise.all(
      objects.map(async (o) => {
        const name = o.key.slice(prefix.length);
        return {
          name,
          size: o.size,
          ...(o.lastModified === undefined ? {} : { lastModified: o.lastModified.toISOString() }),
          url: this.#mode === 'api' ? artifactPath(id, name) : await this.#store.downloadUrl(o.key, 3600),
        };
      }),
    );
    return { artifacts };
  }

  /** The artifact as a stream; a name that is not a relative path below the job is a 400. */
  async download(owner: string, id: string, name: string): Promise<ArtifactDownload> {
    await this.#owned(owner, id);
    let key: string;
    try {
      key = runKey(id, checkedRelativePath(name));
    } catch (error) {
      if (error instanceof InvalidKeyError) throw new InvalidInput([{ path: 'name', rule: error.message }]);
      throw error;
    }
    const missing = new NotFound(`job ${id} has no artifact '${name}'`);
    const info = await this.#store.head(key);
    if (info === undefined) throw missing;
    try {
      return { body: await this.#store.stream(key), size: info.size, name };
    } catch (error) {
      // Deleted between the head and the read: as absent as if it never existed.
      if (error instanceof StoreNotFoundError) throw missing;
      throw error;
    }
  }

  async #owned(owner: string, id: string): Promise<void> {
    const record = isValidJobId(id) ? await this.#records.get(id) : undefined;
    if (record === undefined || record.owner !== owner) throw new NotFound(`no job '${id}'`);
  }
}
