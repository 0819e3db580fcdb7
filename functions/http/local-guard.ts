// What keeps web pages away from a key-less loopback server. Without keys, any page the user opens
// could POST to 127.0.0.1 (a CORS "simple" request needs no preflight when its body is text/plain)
// or read it through DNS rebinding (a hostile name resolving to 127.0.0.1). So: bodies must be
// application/json (which a cross-site page cannot send without a preflight this server never
// grants), and Host and Origin must name this server.
import type { MiddlewareHandler } from 'hono';
import { Forbidden, UnsupportedMediaType } from '../errors.ts';
import type { AppEnv } from './app-env.ts';

const bodyMethods = new Set(['POST', 'PUT', 'PATCH']);

/** The host name of a Host header or an origin URL (lower case, IPv6 in brackets, no port). */
export function hostnameOf(value: string): string | undefined {
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

const isJson = (contentType: string): boolean =>
  /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType.trim());

/** A body typed as anything but JSON, or an untyped one that has bytes. */
function refusedBody(method: string, headers: Headers): boolean {
  if (!bodyMethods.has(method)) return false;
  const type = headers.get('content-type');
  if (type !== null) return !isJson(type);
  const length = headers.get('content-length');
  return headers.has('transfer-encoding') || (length !== null && length.trim() !== '0');
}

export function localGuard(allowed: readonly string[] | 'any'): MiddlewareHandler<AppEnv> {
  const names = allowed === 'any' ? undefined : new Set(allowed);
  return async (c, next) => {
    if (names !== undefined) {
      const host = hostnameOf(c.req.header('Host') ?? new URL(c.req.url).host);
      if (host === undefined || !names.has(host))
        throw new Forbidden(`Host '${c.req.header('Host') ?? ''}' is not this server (LDAM_ALLOWED_HOSTS)`);
      const origin = c.req.header('Origin');
      if (origin !== undefined && !names.has(hostnameOf(origin) ?? ''))
        throw new Forbidden(`Origin '${origin}' may not call this server (LDAM_ALLOWED_HOSTS)`);
    }
    if (refusedBody(c.req.method, c.req.raw.headers))
      throw new UnsupportedMediaType('request bodies must be sent as Content-Type: application/json');
    await next();
  };
}
