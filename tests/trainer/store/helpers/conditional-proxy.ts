// A small real HTTP proxy in front of a bare s3rver that enforces `If-None-Match: *` and
// `If-Match` on PutObject, the way AWS S3 and MinIO do, so the conditional-write path of S3Store
// runs against real HTTP here independently of the embedded server's own front.

import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { KeyedMutex } from '../../../../trainer/store/keyed-mutex.ts';

/** s3rver's built-in account, which a bare s3rver (no front) accepts. */
export const bareS3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** s3rver on its own socket, with no authenticating front: only tests use it. */
export async function startBareS3rver(
  dataDir: string,
  bucket: string,
): Promise<{ endpoint: string; bucket: string; stop(): Promise<void> }> {
  const s3rver = new S3rver({ silent: true, directory: dataDir, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const server = createServer(s3rver.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bucket,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ConditionalProxy {
  readonly endpoint: string;
  /** 'METHOD path?query' of every request seen, in arrival order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

const preconditionFailed =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
  '<Message>At least one of the pre-conditions you specified did not hold</Message></Error>';

export async function startConditionalProxy(upstream: string): Promise<ConditionalProxy> {
  const target = new URL(upstream);
  const requests: string[] = [];
  const locks = new KeyedMutex();

  const forward = (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    new Promise((resolve) => {
      const upstreamRequest = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstreamResponse) => {
          res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(res);
          upstreamResponse.on('end', resolve);
          upstreamResponse.on('error', resolve);
        },
      );
      upstreamRequest.on('error', () => {
        res.destroy();
        resolve();
      });
      req.pipe(upstreamRequest);
    });

  const etagOf = (path: string, headers: IncomingHttpHeaders): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      // Anonymous HEAD: s3rver serves unsigned requests, and the client's signature covers only its PUT.
      const head = request(
        { host: target.hostname, port: target.port, method: 'HEAD', path, headers: { host: headers.host } },
        (response) => {
          response.resume();
          const etag = response.headers.etag;
          resolve(response.statusCode === 200 ? (etag ?? '') : undefined);
        },
      );
      head.on('error', reject);
      head.end();
    });

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    const { pathname, searchParams } = new URL(url, 'http://proxy');
    const isPutObject = req.method === 'PUT' && !searchParams.has('uploadId');
    const ifNoneMatch = req.headers['if-none-match'];
    const ifMatch = req.headers['if-match'];
    if (!(isPutObject && (ifNoneMatch === '*' || ifMatch !== undefined))) {
      void forward(req, res);
      return;
    }
    void locks
      .run(pathname, async () => {
        const etag = await etagOf(pathname, req.headers);
        if ((ifNoneMatch === '*' && etag !== undefined) || (ifMatch !== undefined && etag !== ifMatch)) {
          req.resume();
          res.writeHead(412, { 'content-type': 'application/xml' });
          res.end(preconditionFailed);
          return;
        }
        await forward(req, res);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
