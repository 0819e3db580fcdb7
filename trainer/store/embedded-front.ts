// The embedded store's only door: an HTTP server on loopback that refuses every request not signed
// (SigV4) with this start's credentials, serialises object requests per key, enforces If-None-Match
// and If-Match the way S3 does, then hands the request, stripped of its signature, to s3rver's
// handler in this process (s3rver itself listens on no socket, so nothing can go around the front).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyedMutex } from './keyed-mutex.ts';
import { type SigningCredentials, SigV4Verifier, withoutAuthQuery } from './sigv4-verify.ts';

export interface EmbeddedFrontOptions {
  readonly credentials: SigningCredentials;
  readonly region: string;
  /** s3rver's request handler (`s3rver.callback()`). */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The current entity tag of an object, or undefined when absent. */
  readonly etagOf: (bucket: string, key: string) => Promise<string | undefined>;
  readonly port: number;
}

export interface EmbeddedFront {
  readonly server: Server;
  readonly port: number;
}

const xmlError = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

function reply(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  req.resume();
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(req.method === 'HEAD' ? undefined : xmlError(code, message));
}

/** Path-style '/bucket/key…' → bucket and decoded key; the key is '' for bucket-level requests. */
function objectOf(url: string): { bucket: string; key: string } {
  const path = url.split('?')[0] ?? '/';
  const [, bucket = '', ...rest] = path.split('/');
  return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')) };
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Why a conditional PutObject must be refused, or undefined to let it through. */
async function preconditionIssue(
  req: IncomingMessage,
  current: () => Promise<string | undefined>,
): Promise<string | undefined> {
  const ifNoneMatch = header(req, 'if-none-match');
  const ifMatch = header(req, 'if-match');
  if (req.method !== 'PUT' || (ifNoneMatch === undefined && ifMatch === undefined)) return undefined;
  const etag = await current();
  if (ifNoneMatch === '*' && etag !== undefined) return 'the object exists (If-None-Match: *)';
  if (ifMatch !== undefined && etag !== ifMatch) return 'the object changed (If-Match)';
  return undefined;
}

export async function startEmbeddedFront(options: EmbeddedFrontOptions): Promise<EmbeddedFront> {
  const verifier = new SigV4Verifier(options.credentials, options.region);
  const locks = new KeyedMutex();

  const pass = (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    new Promise((resolve) => {
      res.once('close', resolve);
      options.handler(req, res);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const verdict = await verifier.verify({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
    });
    if (!verdict.ok) {
      reply(req, res, 403, 'AccessDenied', `request refused: ${verdict.reason}`);
      return;
    }
    delete req.headers.authorization;
    req.url = withoutAuthQuery(req.url ?? '/');
    const { bucket, key } = objectOf(req.url);
    if (key === '') {
      await pass(req, res);
      return;
    }
    // One request per object at a time: s3rver writes bodies in place, so a read beside a write
    // could see a torn object, and a conditional check must hold until its write lands.
    await locks.run(`${bucket}/${key}`, async () => {
      const issue = await preconditionIssue(req, () => options.etagOf(bucket, key));
      if (issue !== undefined) reply(req, res, 412, 'PreconditionFailed', issue);
      else await pass(req, res);
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(req, res, 500, 'InternalError', String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
