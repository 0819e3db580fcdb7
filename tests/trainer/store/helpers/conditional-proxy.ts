// A small real HTTP proxy in front of s3rver that enforces `If-None-Match: *` on PutObject, the
// way AWS S3 and MinIO do, so the conditional-write path of S3Store runs against real HTTP here.

import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyedMutex } from '../../../../trainer/store/keyed-mutex.ts';

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

  const exists = (path: string, headers: IncomingHttpHeaders): Promise<boolean> =>
    new Promise((resolve, reject) => {
      // Anonymous HEAD: s3rver serves unsigned requests, and the client's signature covers only its PUT.
      const head = request(
        { host: target.hostname, port: target.port, method: 'HEAD', path, headers: { host: headers.host } },
        (response) => {
          response.resume();
          resolve(response.statusCode === 200);
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
    if (!(isPutObject && req.headers['if-none-match'] === '*')) {
      void forward(req, res);
      return;
    }
    void locks
      .run(pathname, async () => {
        if (await exists(pathname, req.headers)) {
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
