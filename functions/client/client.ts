// The one HTTP client of the API, typed by the paths generated from its OpenAPI document
// (openapi-fetch over api-types.ts). The CLI, the benchmark scripts and the dashboard use it; it
// runs in Node and in the browser (no Node imports here).
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types.ts';

export type ApiClient = Client<paths>;
export type { paths };

export interface ApiTarget {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8787 ('' = the page's own origin). */
  readonly url: string;
  /** Bearer token (an LDAM_API_KEYS token). */
  readonly key?: string;
}

export interface ApiClientOptions {
  readonly fetch?: typeof fetch;
}

export function authHeaders(target: ApiTarget): Record<string, string> {
  return target.key === undefined ? {} : { Authorization: `Bearer ${target.key}` };
}

export function createApiClient(target: ApiTarget, options: ApiClientOptions = {}): ApiClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return createClient<paths>({
    baseUrl: target.url,
    headers: authHeaders(target),
    // Late-bound so a test's or the page's fetch is used at call time.
    fetch: (request) => fetchImpl(request),
  });
}

export interface ApiIssue {
  readonly path: string;
  readonly rule: string;
  readonly cell?: string;
}

/** A non-2xx answer (or a failed connection, status 0): the API's error code, message and issues. */
export class ApiCallError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly body: unknown;
  readonly issues: readonly ApiIssue[];
  constructor(status: number, body: unknown) {
    const error = (body as { error?: { code?: string; message?: string; issues?: ApiIssue[] } } | null)
      ?.error;
    const issues = error?.issues ?? [];
    const lines = issues
      .map((i) => `\n  ${i.cell === undefined ? '' : `cell ${i.cell}: `}${i.path || '(root)'}: ${i.rule}`)
      .join('');
    const message = error?.message ?? (typeof body === 'string' ? body : JSON.stringify(body));
    super(`HTTP ${status}: ${message}${lines}`);
    this.name = 'ApiCallError';
    this.status = status;
    this.code = error?.code;
    this.body = body;
    this.issues = issues;
  }
}

type Result<D> = { data?: D; error?: unknown; response: Response };

/** The data of a 2xx answer; anything else throws ApiCallError with the API's error body. */
export async function ok<D>(call: Promise<Result<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiCallError(response.status, error);
  return data as D;
}
