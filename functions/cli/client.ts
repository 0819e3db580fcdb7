// The CLI's HTTP client of the API: base URL and key from flags or LDAM_API_URL / LDAM_API_KEY.

export const cliEnv = {
  /** Base URL of the API (default http://127.0.0.1:8787). */
  url: 'LDAM_API_URL',
  /** Bearer token sent as Authorization. */
  key: 'LDAM_API_KEY',
} as const;

export interface ApiTarget {
  readonly url: string;
  readonly key?: string;
}

export function apiTarget(
  flags: { url?: string | undefined; key?: string | undefined },
  env = process.env,
): ApiTarget {
  const url = (flags.url ?? env[cliEnv.url] ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const key = flags.key ?? env[cliEnv.key];
  return key ? { url, key } : { url };
}

export function authHeaders(target: ApiTarget): Record<string, string> {
  return target.key === undefined ? {} : { Authorization: `Bearer ${target.key}` };
}

export class ApiCallError extends Error {
  readonly status: number;
  constructor(status: number, body: unknown) {
    const error = (body as { error?: { message?: string; issues?: { path: string; rule: string }[] } })
      ?.error;
    const issues = error?.issues?.map((i) => `\n  ${i.path || '(root)'}: ${i.rule}`).join('') ?? '';
    super(`HTTP ${status}: ${error?.message ?? JSON.stringify(body)}${issues}`);
    this.name = 'ApiCallError';
    this.status = status;
  }
}

export async function callApi<T>(
  target: ApiTarget,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      ...authHeaders(target),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') && text !== '' ? JSON.parse(text) : text;
  if (!response.ok) throw new ApiCallError(response.status, body);
  return body as T;
}
