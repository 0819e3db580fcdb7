import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/errors.ts';
import { isLoopback, startServer } from '../../functions/server.ts';

describe('startServer', () => {
  it('refuses a non-loopback address without API keys, before starting anything', async () => {
    await expect(startServer({ host: '0.0.0.0', port: 0, env: {} })).rejects.toThrow(ConfigError);
    await expect(startServer({ host: '0.0.0.0', port: 0, env: {} })).rejects.toThrow(/LDAM_API_KEYS/);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.3.2.1', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['192.168.1.4', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
