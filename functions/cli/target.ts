// Where the CLI sends its requests: base URL and key from flags or LDAM_API_URL / LDAM_API_KEY.
import type { ApiTarget } from '../client/client.ts';

export const cliEnv = {
  /** Base URL of the API (default http://127.0.0.1:8787). */
  url: 'LDAM_API_URL',
  /** Bearer token sent as Authorization. */
  key: 'LDAM_API_KEY',
} as const;

export function apiTarget(
  flags: { url?: string | undefined; key?: string | undefined },
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApiTarget {
  const url = (flags.url ?? env[cliEnv.url] ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const key = flags.key ?? env[cliEnv.key];
  return key ? { url, key } : { url };
}
