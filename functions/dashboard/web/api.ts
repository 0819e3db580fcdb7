// The page's link to the API: the generated client with the key kept in sessionStorage (never in
// a URL), and job events streamed over fetch so the key can travel as a header.
import { EventSource } from 'eventsource';
import { ApiCallError, type ApiClient, authHeaders, createApiClient } from '../../client/client.ts';

const keyName = 'ldam-api-key';

export function currentKey(): string | undefined {
  return sessionStorage.getItem(keyName) ?? undefined;
}

export function setKey(key: string | undefined): void {
  if (key === undefined || key === '') sessionStorage.removeItem(keyName);
  else sessionStorage.setItem(keyName, key);
}

const target = () => {
  const key = currentKey();
  return key === undefined ? { url: '' } : { url: '', key };
};

export function api(): ApiClient {
  // Same-origin requests: the page's own Host and Origin, JSON bodies only.
  return createApiClient(target());
}

export function errorText(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Where event streams come from: the page's own origin, or the Function URL the deployed stack's
 * gateway names in a <meta> tag (functions/dashboard/stream-url.ts), since the gateway buffers.
 */
function streamBase(): string {
  return document.querySelector('meta[name="ldam-stream-url"]')?.getAttribute('content') ?? '';
}

export interface EventHandlers {
  readonly onEvent: (kind: string, data: unknown) => void;
  readonly onEnd: (data: unknown) => void;
  readonly onState?: (state: 'open' | 'reconnecting') => void;
}

/**
 * Follows a job's SSE stream. The eventsource client streams with fetch (so the Authorization
 * header can be sent) and, after a dropped connection, reconnects with Last-Event-ID: the server
 * resumes after the last event seen, nothing repeated or skipped. Returns a function that stops it.
 */
export function followEvents(jobId: string, handlers: EventHandlers): () => void {
  const source = new EventSource(`${streamBase()}/v1/jobs/${encodeURIComponent(jobId)}/events`, {
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      for (const [name, value] of Object.entries(authHeaders(target()))) headers.set(name, value);
      return fetch(input, { ...init, headers });
    },
  });
  for (const kind of ['status', 'metric', 'note', 'log'])
    source.addEventListener(kind, (message) => handlers.onEvent(kind, JSON.parse(message.data)));
  source.addEventListener('end', (message) => {
    source.close();
    handlers.onEnd(JSON.parse(message.data));
  });
  source.addEventListener('open', () => handlers.onState?.('open'));
  source.addEventListener('error', () => handlers.onState?.('reconnecting'));
  return () => source.close();
}
