// Verifies AWS Signature V4 on requests to the embedded store (Authorization header or presigned
// query) by signing the same canonical request again with the AWS SDK's own signer and comparing.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface IncomingSigned {
  readonly method: string;
  /** The raw request target: encoded path and query, as on the request line. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The node:crypto SHA-256 in the shape the signer takes (HMAC when given a secret). */
class NodeSha256 {
  readonly #hash;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

const maxClockSkewMs = 15 * 60_000;
const authQuery = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
]);

/** 20260101T000000Z → Date. */
function amzDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

function splitTarget(url: string): { path: string; query: Record<string, string | string[]> } {
  const cut = url.indexOf('?');
  const path = cut < 0 ? url : url.slice(0, cut);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(cut < 0 ? '' : url.slice(cut + 1))) {
    const previous = query[k];
    query[k] = previous === undefined ? v : [...(Array.isArray(previous) ? previous : [previous]), v];
  }
  return { path, query };
}

const same = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export class SigV4Verifier {
  readonly #credentials: SigningCredentials;
  readonly #signer: SignatureV4;
  readonly #region: string;

  constructor(credentials: SigningCredentials, region: string) {
    this.#credentials = credentials;
    this.#region = region;
    // uriEscapePath false: S3 signs the path exactly as sent (the SDK's S3 client does the same).
    this.#signer = new SignatureV4({
      credentials,
      region,
      service: 's3',
      sha256: NodeSha256,
      uriEscapePath: false,
    });
  }

  async verify(request: IncomingSigned, now: Date = new Date()): Promise<Verdict> {
    const { path, query } = splitTarget(request.url);
    if (typeof query['X-Amz-Signature'] === 'string') return this.#verifyPresigned(request, path, query, now);
    const authorization = headerText(request.headers, 'authorization');
    if (authorization === undefined) return { ok: false, reason: 'unsigned request' };
    return this.#verifyHeader(request, authorization, path, query, now);
  }

  #scopeIssue(credential: string, date: Date, now: Date): string | undefined {
    const [accessKeyId, day, region, service, terminator] = credential.split('/');
    if (accessKeyId !== this.#credentials.accessKeyId) return 'unknown access key';
    if (region !== this.#region || service !== 's3' || terminator !== 'aws4_request') return 'wrong scope';
    if (day !== date.toISOString().slice(0, 10).replaceAll('-', '')) return 'scope date mismatch';
    if (Math.abs(now.getTime() - date.getTime()) > maxClockSkewMs) return 'request time too skewed';
    return undefined;
  }

  async #verifyHeader(
    request: IncomingSigned,
    authorization: string,
    path: string,
    query: Record<string, string | string[]>,
    now: Date,
  ): Promise<Verdict> {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization.trim(),
    );
    if (m === null) return { ok: false, reason: 'malformed Authorization header' };
    const [, credential = '', signedList = '', signature = ''] = m;
    const date = amzDate(headerText(request.headers, 'x-amz-date'));
    if (date === undefined) return { ok: false, reason: 'missing or malformed x-amz-date' };
    const issue = this.#scopeIssue(credential, date, now);
    if (issue !== undefined) return { ok: false, reason: issue };
    const signed = signedList.split(';');
    if (!signed.includes('host') || !signed.includes('x-amz-content-sha256'))
      return { ok: false, reason: 'host and x-amz-content-sha256 must be signed' };
    const headers: Record<string, string> = {};
    for (const name of signed) headers[name] = headerText(request.headers, name) ?? '';
    const resigned = await this.#signer.sign(
      { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path, query, headers },
      { signingDate: date, signableHeaders: new Set(signed) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization ?? ''))?.[1] ?? '';
    return same(expected, signature) ? { ok: true } : { ok: false, reason: 'signature does not match' };
  }

  async #verifyPresigned(
    request: IncomingSigned,
    path: string,
    query: Record<string, string | string[]>,
    now: Date,
  ): Promise<Verdict> {
    const field = (name: string): string => (typeof query[name] === 'string' ? (query[name] as string) : '');
    const date = amzDate(field('X-Amz-Date'));
    const expires = Number(field('X-Amz-Expires'));
    if (date === undefined || !Number.isInteger(expires) || expires < 1 || expires > 604_800)
      return { ok: false, reason: 'malformed presigned query' };
    if (field('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
      return { ok: false, reason: 'unsupported algorithm' };
    const issue = this.#scopeIssue(field('X-Amz-Credential'), date, new Date(date.getTime()));
    if (issue !== undefined) return { ok: false, reason: issue };
    if (now.getTime() > date.getTime() + expires * 1000)
      return { ok: false, reason: 'presigned URL expired' };
    const signed = field('X-Amz-SignedHeaders').split(';');
    const headers: Record<string, string> = {};
    for (const name of signed) headers[name] = headerText(request.headers, name) ?? '';
    const rest = Object.fromEntries(Object.entries(query).filter(([k]) => !authQuery.has(k)));
    const resigned = await this.#signer.presign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: headers.host ?? '',
        path,
        query: rest,
        // The signer hoists this header back into the query, where the client's signer put it.
        headers: { ...headers, 'X-Amz-Content-Sha256': field('X-Amz-Content-Sha256') || 'UNSIGNED-PAYLOAD' },
      },
      { signingDate: date, expiresIn: expires, signableHeaders: new Set(signed) },
    );
    const expected = String(resigned.query?.['X-Amz-Signature'] ?? '');
    return same(expected, field('X-Amz-Signature'))
      ? { ok: true }
      : { ok: false, reason: 'signature does not match' };
  }
}

/** The request target without the presigned query's authentication parameters. */
export function withoutAuthQuery(url: string): string {
  const cut = url.indexOf('?');
  if (cut < 0) return url;
  const kept = url
    .slice(cut + 1)
    .split('&')
    .filter((pair) => pair !== '' && !authQuery.has(decodeURIComponent(pair.split('=')[0] ?? '')));
  return kept.length === 0 ? url.slice(0, cut) : `${url.slice(0, cut)}?${kept.join('&')}`;
}
