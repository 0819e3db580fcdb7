// The Store port over S3 (AWS, MinIO, the embedded s3rver): retries transient failures until the
// deadline, multipart uploads through lib-storage, presigned download URLs.

import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { KeyedMutex } from './keyed-mutex.ts';
import { defaultRetryPolicy, type RetryPolicy, withRetry } from './retry.ts';
import { classifyS3Error, isNotFound, isPreconditionFailed } from './s3-errors.ts';
import type { PutOptions, Store, StoreObjectInfo, VersionedObject } from './store.ts';
import { StoreNotFoundError } from './store.ts';

export interface S3StoreOptions {
  readonly bucket: string;
  /** Default us-east-1. */
  readonly region?: string;
  /** Custom endpoint (MinIO, the embedded server); unset = AWS S3. */
  readonly endpoint?: string;
  /** Path-style addressing, needed by MinIO and s3rver. Default false. */
  readonly forcePathStyle?: boolean;
  /** Static credentials; unset = the SDK's default provider chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Key prefix inside the bucket ('a/b' stores key k at 'a/b/k'). Default none. */
  readonly prefix?: string;
  /**
   * Whether the backend honours If-None-Match and If-Match on PutObject (bare s3rver does not; the
   * embedded server's front does). Without, they are emulated under an in-process lock, which
   * holds only while this process is the backend's one writer. Default true.
   */
  readonly conditionalWrites?: boolean;
  readonly retry?: Partial<RetryPolicy>;
  /** Bodies above this go through multipart upload. Default 16 MiB. */
  readonly multipartThresholdBytes?: number;
  /** Multipart part size (S3 minimum 5 MiB; 10,000 parts at most). Default 5 MiB. */
  readonly partSizeBytes?: number;
  /** A client to use instead of building one from the options above (tests, custom handlers). */
  readonly client?: S3Client;
}

const MiB = 1024 * 1024;

// Process-wide, so every S3Store instance on the same bucket shares the creation lock.
const creationLocks = new KeyedMutex();

function bytesOf(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

function normalisePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return '';
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

export class S3Store implements Store {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly conditionalWrites: boolean;
  private readonly policy: RetryPolicy;
  private readonly multipartThreshold: number;
  private readonly partSize: number;
  private readonly lockScope: string;
  /** Bucket and endpoint, for the errors a caller sees once retries run out. */
  private readonly server: string;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = normalisePrefix(options.prefix);
    this.conditionalWrites = options.conditionalWrites ?? true;
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.lockScope = `${options.endpoint ?? 'aws'}|${options.bucket}|`;
    this.server = `${this.describe()} at ${options.endpoint ?? `AWS S3 ${options.region ?? 'us-east-1'}`}`;
    this.multipartThreshold = options.multipartThresholdBytes ?? 16 * MiB;
    this.partSize = Math.max(5 * MiB, options.partSizeBytes ?? 5 * MiB);
    this.client =
      options.client ??
      new S3Client({
        region: options.region ?? 'us-east-1',
        forcePathStyle: options.forcePathStyle ?? false,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        // Our own loop retries until the deadline; the SDK retries once more per attempt at most.
        maxAttempts: 2,
        // Checksums only where the API requires them: s3rver and older MinIO reject the rest.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        requestHandler: { connectionTimeout: 5000, requestTimeout: 120_000 },
      });
  }

  describe(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  private fullKey(key: string): string {
    return this.prefix + key;
  }

  private retrying<T>(key: string, operation: () => Promise<T>): Promise<T> {
    return withRetry(key, operation, classifyS3Error(key, this.server), this.policy);
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<void> {
    const bytes = bytesOf(body);
    if (bytes.byteLength > this.multipartThreshold) {
      await this.retrying(key, () => this.upload(key, Readable.from([Buffer.from(bytes)]), options));
      return;
    }
    await this.retrying(key, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.fullKey(key),
          Body: bytes,
          ContentLength: bytes.byteLength,
          ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
        }),
      ),
    );
  }

  putIfAbsent(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<boolean> {
    return this.#conditionalPut(key, bytesOf(body), options, {
      condition: { IfNoneMatch: '*' },
      holds: async () => (await this.head(key)) === undefined,
      refused: isPreconditionFailed,
    });
  }

  putIfMatch(
    key: string,
    body: Uint8Array | string,
    etag: string,
    options: PutOptions = {},
  ): Promise<boolean> {
    return this.#conditionalPut(key, bytesOf(body), options, {
      condition: { IfMatch: etag },
      holds: async () => (await this.getVersioned(key))?.etag === etag,
      // S3 answers If-Match on a missing object with 404: the version we read is gone either way.
      refused: (error) => isPreconditionFailed(error) || isNotFound(error),
    });
  }

  /**
   * A write that happens only if `condition` holds: sent as S3's conditional header where the
   * server enforces it, else checked and written under an in-process lock (single-instance only).
   */
  #conditionalPut(
    key: string,
    bytes: Uint8Array,
    options: PutOptions,
    rule: {
      condition: { IfNoneMatch: string } | { IfMatch: string };
      holds: () => Promise<boolean>;
      refused: (error: unknown) => boolean;
    },
  ): Promise<boolean> {
    if (!this.conditionalWrites) {
      return creationLocks.run(this.lockScope + this.fullKey(key), async () => {
        if (!(await rule.holds())) return false;
        await this.put(key, bytes, options);
        return true;
      });
    }
    return this.retrying(key, async () => {
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.fullKey(key),
            Body: bytes,
            ContentLength: bytes.byteLength,
            ...rule.condition,
            ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
          }),
        );
        return true;
      } catch (error) {
        if (rule.refused(error)) return false;
        throw error;
      }
    });
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    try {
      return await this.retrying(key, async () => {
        const response = await orNotFound(
          key,
          this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) })),
        );
        const body =
          response.Body === undefined ? new Uint8Array(0) : await response.Body.transformToByteArray();
        return { body, etag: response.ETag ?? '' };
      });
    } catch (error) {
      if (error instanceof StoreNotFoundError) return undefined;
      throw error;
    }
  }

  /** One attempt: a consumed stream cannot be replayed (the SDK still retries each buffered part). */
  async putStream(key: string, body: Readable, options: PutOptions = {}): Promise<void> {
    await withRetry(key, () => this.upload(key, body, options), classifyS3Error(key, this.server), {
      ...this.policy,
      deadlineMs: 0,
    });
  }

  private async upload(key: string, body: Readable, options: PutOptions): Promise<void> {
    const upload = new Upload({
      client: this.client,
      partSize: this.partSize,
      queueSize: 2,
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: this.fullKey(key),
        Body: body,
        ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
      },
    });
    await upload.done();
  }

  async get(key: string): Promise<Uint8Array> {
    return this.retrying(key, async () => {
      const response = await orNotFound(
        key,
        this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) })),
      );
      if (response.Body === undefined) return new Uint8Array(0);
      return response.Body.transformToByteArray();
    });
  }

  /** Bytes [start, start + length) of an object (an HTTP Range GET): one image out of a tar shard. */
  async getRange(key: string, start: number, length: number): Promise<Uint8Array> {
    if (length === 0) return new Uint8Array(0);
    return this.retrying(key, async () => {
      const response = await orNotFound(
        key,
        this.client.send(
          new GetObjectCommand({
            Bucket: this.bucket,
            Key: this.fullKey(key),
            Range: `bytes=${start}-${start + length - 1}`,
          }),
        ),
      );
      if (response.Body === undefined) return new Uint8Array(0);
      return response.Body.transformToByteArray();
    });
  }

  async stream(key: string): Promise<Readable> {
    return this.retrying(key, async () => {
      const response = await orNotFound(
        key,
        this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) })),
      );
      const body = response.Body;
      if (body === undefined) return Readable.from([]);
      return body instanceof Readable ? body : Readable.fromWeb(body.transformToWebStream() as never);
    });
  }

  async head(key: string): Promise<StoreObjectInfo | undefined> {
    try {
      return await this.retrying(key, async () => {
        const response = await orNotFound(
          key,
          this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) })),
        );
        return {
          key,
          size: response.ContentLength ?? 0,
          ...(response.LastModified === undefined ? {} : { lastModified: response.LastModified }),
        };
      });
    } catch (error) {
      if (error instanceof StoreNotFoundError) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<StoreObjectInfo[]> {
    const objects: StoreObjectInfo[] = [];
    let token: string | undefined;
    do {
      const continuation = token;
      const page = await this.retrying(prefix, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.fullKey(prefix),
            ...(continuation === undefined ? {} : { ContinuationToken: continuation }),
          }),
        ),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        objects.push({
          key: item.Key.slice(this.prefix.length),
          size: item.Size ?? 0,
          ...(item.LastModified === undefined ? {} : { lastModified: item.LastModified }),
        });
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    // S3 lists in UTF-8 byte order already; sorting keeps the port's promise for every backend.
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await this.retrying(key, async () => {
      try {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys = (await this.list(prefix)).map((o) => o.key);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const result = await this.retrying(prefix, () =>
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((k) => ({ Key: this.fullKey(k) })), Quiet: true },
          }),
        ),
      );
      // Objects the batch call could not delete get one more try each, which reports the reason.
      for (const failed of result.Errors ?? []) {
        if (failed.Key !== undefined) await this.delete(failed.Key.slice(this.prefix.length));
      }
    }
  }

  async downloadUrl(key: string, expiresInSeconds = 3600): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }), {
      expiresIn: expiresInSeconds,
    });
  }

  /** Creates the bucket if it does not exist (embedded server, MinIO, tests). */
  async ensureBucket(): Promise<void> {
    try {
      await this.retrying(this.bucket, () =>
        this.client.send(new HeadBucketCommand({ Bucket: this.bucket })),
      );
    } catch {
      await this.retrying(this.bucket, () =>
        this.client.send(new CreateBucketCommand({ Bucket: this.bucket })),
      );
    }
  }

  /** Closes the client's sockets. */
  close(): void {
    this.client.destroy();
  }
}

async function orNotFound<T>(key: string, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (isNotFound(error)) throw new StoreNotFoundError(key);
    throw error;
  }
}
