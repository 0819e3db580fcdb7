import type { BenchmarkResults } from './aggregate.ts';
import type { BenchmarkView } from './service.ts';

// A small HTTP client of the benchmark routes, for the CLI and scripts.

export interface BenchmarkClientOptions {
  /** API base URL, e.g. http://127.0.0.1:8080 */
  readonly baseUrl: string;
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

/** A non-2xx answer: its status and the API's error body. */
export class BenchmarkApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : JSON.stringify(body);
    super(`HTTP ${status}: ${message}`);
    this.name = 'BenchmarkApiError';
    this.status = status;
    this.body = body;
  }
}

/** The API's error body: `{ error: { code, message, issues? } }`. */
export interface ApiErrorBody {
  readonly code?: string;
  readonly message?: string;
  readonly issues?: ReadonlyArray<{ readonly cell?: string; readonly path: string; readonly rule: string }>;
}

export function errorOf(body: unknown): ApiErrorBody | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as ApiErrorBody) : undefined;
}

export type TextFormat = 'csv' | 'md' | 'svg';

export class BenchmarkClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(private readonly options: BenchmarkClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.base = `${options.baseUrl.replace(/\/+$/, '')}/v1/benchmarks`;
  }

  create(spec: unknown): Promise<BenchmarkView> {
    return this.json('POST', '', spec) as Promise<BenchmarkView>;
  }

  status(id: string): Promise<BenchmarkView> {
    return this.json('GET', `/${encodeURIComponent(id)}`) as Promise<BenchmarkView>;
  }

  cancel(id: string): Promise<BenchmarkView> {
    return this.json('POST', `/${encodeURIComponent(id)}/cancel`) as Promise<BenchmarkView>;
  }

  results(id: string): Promise<BenchmarkResults> {
    return this.json('GET', `/${encodeURIComponent(id)}/results?format=json`) as Promise<BenchmarkResults>;
  }

  async resultsText(id: string, format: TextFormat): Promise<string> {
    const response = await this.request('GET', `/${encodeURIComponent(id)}/results?format=${format}`);
    return response.text();
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    return (await this.request(method, path, body)).json();
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    const response = await this.fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: keep the text as the error body.
      }
      throw new BenchmarkApiError(response.status, parsed);
    }
    return response;
  }
}
