import type { Readable } from 'node:stream';

/** What a listing returns for one object. */
export interface StoreObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModified?: Date;
}

/** An object's body and the entity tag `putIfMatch` compares against. */
export interface VersionedObject {
  readonly body: Uint8Array;
  readonly etag: string;
}

export interface PutOptions {
  readonly contentType?: string;
}

/**
 * The storage port: every artifact (specs, events, logs, checkpoints, reports, datasets) goes
 * through it. Adapters: S3 (embedded server, MinIO, AWS) and a local directory. Keys are
 * relative, '/'-separated, and validated by the caller's key builders (keys.ts).
 */
export interface Store {
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<void>;
  /** Creates the object only if no object has the key; true if this call created it. */
  putIfAbsent(key: string, body: Uint8Array | string, options?: PutOptions): Promise<boolean>;
  /**
   * Replaces the object only if its current entity tag is `etag` (from `getVersioned`); true if
   * this call wrote it, false if the object changed or is gone. The compare-and-swap that
   * per-owner admission and job snapshots are built on.
   */
  putIfMatch(key: string, body: Uint8Array | string, etag: string, options?: PutOptions): Promise<boolean>;
  /** The object with its entity tag (read together, so they describe the same version), or undefined. */
  getVersioned(key: string): Promise<VersionedObject | undefined>;
  /** Streams a body of any size (multipart where the backend has it). */
  putStream(key: string, body: Readable, options?: PutOptions): Promise<void>;
  /** The whole object; throws StoreNotFoundError when absent. */
  get(key: string): Promise<Uint8Array>;
  /** The object as a stream; throws StoreNotFoundError when absent. */
  stream(key: string): Promise<Readable>;
  /** Metadata, or undefined when absent. */
  head(key: string): Promise<StoreObjectInfo | undefined>;
  /** Every object under the prefix, in ascending key order. */
  list(prefix: string): Promise<StoreObjectInfo[]>;
  /** Deletes one object; absent objects are not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object under the prefix. */
  deletePrefix(prefix: string): Promise<void>;
  /** A URL a client can download the object from (presigned for S3, file:// for local). */
  downloadUrl(key: string, expiresInSeconds?: number): Promise<string>;
  /** Human-readable location, e.g. s3://bucket/prefix or a directory path. */
  describe(): string;
}

/** The object does not exist. */
export class StoreNotFoundError extends Error {
  readonly key: string;
  constructor(key: string) {
    super(`no object at key '${key}'`);
    this.name = 'StoreNotFoundError';
    this.key = key;
  }
}

/** A failure that retrying will not fix (permissions, bad bucket, invalid key). */
export class StorePermanentError extends Error {
  readonly key: string;
  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super(`storage error at key '${key}': ${reason}`, options);
    this.name = 'StorePermanentError';
    this.key = key;
  }
}

/** Retries ran out (server gone past the deadline). */
export class StoreUnavailableError extends Error {
  readonly key: string;
  constructor(key: string, reason: string, options?: { cause?: unknown }) {
    super(`storage unavailable for key '${key}': ${reason}`, options);
    this.name = 'StoreUnavailableError';
    this.key = key;
  }
}
