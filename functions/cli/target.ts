// Where the CLI sends its requests: base URL and key from flags or LDAM_API_URL / LDAM_API_KEY, and
// where it follows event streams (LDAM_STREAM_URL: the deployed stack's Function URL, since its
// HTTP API buffers responses; default: the API URL).
import type { ApiTarget } from '../client/client.ts';

export const cliEnv = {
  /** Base URL of the API (default http://127.0.0.1:8787). */
  url: 'LDAM_API_URL',
  /** Bearer token sent as Authorization. */
  key: 'LDAM_API_KEY',
  /** Base URL for event streams (the stack output StreamUrl); default: the API URL. */
  streamUrl: 'LDAM_STREAM_URL',
} as const;

export function apiTarget(
  flags: { url?: string | undefined; key?: string | undefined },
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApiTarget {
  const url = (flags.url ?? env[cliEnv.url] ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const key = flags.key ?? env[cliEnv.key];
  return key ? { url, key } : { url };
}

/** The target for event streams: the stream URL when one is given, else the API's. */
export function streamTarget(
  api: ApiTarget,
  flags: { streamUrl?: string | undefined },
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApiTarget {
  const given = flags.streamUrl ?? env[cliEnv.streamUrl];
  if (given === undefined || given.trim() === '') return api;
  return { ...api, url: given.trim().replace(/\/+$/, '') };
}
