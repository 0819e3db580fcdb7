// API keys: `owner:token` pairs; a request's bearer token is matched against every key's SHA-256
// in constant time, so response timing reveals neither which key nor how much of one matched.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../errors.ts';

export interface ApiKey {
  readonly owner: string;
  readonly digest: Buffer;
}

const ownerPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
/** The owner of every job when no keys are configured (loopback-only servers). */
export const localOwner = 'local';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Parses LDAM_API_KEYS (`owner:token,owner:token`); empty text means no keys. */
export function parseApiKeys(text: string): ApiKey[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const colon = entry.indexOf(':');
      const owner = entry.slice(0, colon);
      const token = entry.slice(colon + 1);
      if (colon < 1 || !ownerPattern.test(owner) || token.length < 8)
        throw new ConfigError(
          'LDAM_API_KEYS entries are owner:token (owner [A-Za-z0-9._-], token ≥ 8 characters)',
        );
      return { owner, digest: sha256(token) };
    });
}

/** The owner whose token the Authorization header carries, or undefined. */
export function authenticate(keys: readonly ApiKey[], authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const digest = sha256(match?.[1] ?? '');
  let owner: string | undefined;
  // Compare against every key (no early exit) so timing does not depend on which one matched.
  for (const key of keys) if (timingSafeEqual(key.digest, digest) && match !== null) owner ??= key.owner;
  return owner;
}
