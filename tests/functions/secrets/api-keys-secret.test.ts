// The key secret read through the real SecretsManagerClient over a mocked HTTP transport (no AWS here).
import { Readable } from 'node:stream';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../../functions/http/auth.ts';
import { apiKeysFromSecret, secretsManagerKeys } from '../../../functions/secrets/api-keys-secret.ts';

function clientAnswering(secretString: () => string) {
  const requests: { target: unknown; body: unknown }[] = [];
  const requestHandler = {
    async handle(request: { headers: Record<string, string>; body?: unknown }) {
      requests.push({ target: request.headers['x-amz-target'], body: JSON.parse(String(request.body)) });
      const payload = Buffer.from(
        JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:k', SecretString: secretString() }),
      );
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Readable.from([payload]),
        },
      };
    },
  };
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
    requestHandler,
  });
  return { client, requests };
}

describe('API keys from Secrets Manager (real client, mocked transport)', () => {
  it('reads the current version by ARN at each call, so a put-secret-value is seen', async () => {
    let secret = JSON.stringify({ owner: 'admin', token: 'first-token-123' });
    const { client, requests } = clientAnswering(() => secret);
    const read = secretsManagerKeys(client, 'arn:aws:secretsmanager:us-east-1:1:secret:k');
    expect(authenticate(await read(), 'Bearer first-token-123')).toBe('admin');
    secret = JSON.stringify({ owner: 'admin', token: 'second-token-456' });
    const rotated = await read();
    expect(authenticate(rotated, 'Bearer first-token-123')).toBeUndefined();
    expect(authenticate(rotated, 'Bearer second-token-456')).toBe('admin');
    expect(requests).toEqual([
      {
        target: 'secretsmanager.GetSecretValue',
        body: { SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:k' },
      },
      {
        target: 'secretsmanager.GetSecretValue',
        body: { SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:k' },
      },
    ]);
  });

  it('accepts several keys (old and new during a rotation) and refuses malformed secrets', () => {
    const keys = apiKeysFromSecret(
      JSON.stringify({
        keys: [
          { owner: 'admin', token: 'old-token-1' },
          { owner: 'lab', token: 'new-token-2' },
        ],
      }),
    );
    expect(authenticate(keys, 'Bearer new-token-2')).toBe('lab');
    expect(() => apiKeysFromSecret('admin:token')).toThrow(/not JSON/);
    expect(() => apiKeysFromSecret(JSON.stringify({ owner: 'admin' }))).toThrow(
      /entry 0 needs string "owner" and "token"/,
    );
    expect(() => apiKeysFromSecret(JSON.stringify({ owner: 'admin', token: 'short' }))).toThrow(/token ≥ 8/);
  });
});
