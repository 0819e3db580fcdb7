import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/errors.ts';
import { authenticate, parseApiKeys } from '../../../functions/http/auth.ts';

describe('API keys', () => {
  const keys = parseApiKeys('alice:token-of-alice, bob:token-of-bob');

  it.each([
    ['Bearer token-of-alice', 'alice'],
    ['bearer token-of-bob', 'bob'],
    ['Bearer token-of-alicE', undefined],
    ['Bearer token-of-alice extra', undefined],
    ['Basic token-of-alice', undefined],
    ['Bearer ', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, owner) => {
    expect(authenticate(keys, header)).toBe(owner);
  });

  it('parses owner:token pairs and refuses malformed ones', () => {
    expect(keys.map((k) => k.owner)).toEqual(['alice', 'bob']);
    expect(parseApiKeys('')).toEqual([]);
    expect(() => parseApiKeys('alice')).toThrow(ConfigError);
    expect(() => parseApiKeys('alice:short')).toThrow(ConfigError);
    expect(() => parseApiKeys('a/b:long-enough-token')).toThrow(ConfigError);
  });
});
