import { describe, expect, it } from 'vitest';
import { apiTarget, cliEnv, streamTarget } from '../../../functions/cli/target.ts';

describe('CLI targets', () => {
  it('follows streams at the API URL when no stream URL is given', () => {
    const api = apiTarget({}, { [cliEnv.url]: 'https://api.example.com/', [cliEnv.key]: 'k-12345678' });
    expect(streamTarget(api, {}, {})).toEqual({ url: 'https://api.example.com', key: 'k-12345678' });
    expect(streamTarget(api, {}, { [cliEnv.streamUrl]: '  ' })).toBe(api);
  });

  it('follows streams at LDAM_STREAM_URL (the Function URL), keeping the key', () => {
    const api = apiTarget({ url: 'https://gw.example.com', key: 'k-12345678' }, {});
    const env = { [cliEnv.streamUrl]: 'https://abc.lambda-url.eu-west-1.on.aws/' };
    expect(streamTarget(api, {}, env)).toEqual({
      url: 'https://abc.lambda-url.eu-west-1.on.aws',
      key: 'k-12345678',
    });
  });

  it('lets --stream-url win over the environment', () => {
    const api = apiTarget({ url: 'https://gw.example.com' }, {});
    const env = { [cliEnv.streamUrl]: 'https://env.example.com' };
    expect(streamTarget(api, { streamUrl: 'https://flag.example.com' }, env).url).toBe(
      'https://flag.example.com',
    );
  });
});
