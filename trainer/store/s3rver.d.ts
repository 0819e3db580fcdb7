// The slice of s3rver 3.7 (CommonJS, no bundled types) the embedded server uses.
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  interface FilesystemStore {
    existsObject(bucket: string, key: string): Promise<boolean>;
    /** `etag` is the body's MD5 in quotes, as S3 sends it. */
    getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    readonly store: FilesystemStore;
    configureBuckets(): Promise<void>;
    /** The Koa request handler, for a server the caller owns. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }

  export = S3rver;
}
