// The API keys stored in Secrets Manager by the stack (infra/lib/api-keys-secret.ts), read at run
// time: rotating a key is `aws secretsmanager put-secret-value`, no redeploy. The client is injected.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../errors.ts';
import { type ApiKey, parseApiKeys } from '../http/auth.ts';

export type SecretsSender = Pick<SecretsManagerClient, 'send'>;

type KeyEntry = { owner?: unknown; token?: unknown };

/**
 * The secret's JSON: `{"owner","token"}` (what the stack generates) or `{"keys":[{"owner","token"},…]}`
 * (several keys, e.g. old and new during a rotation). Tokens are checked like LDAM_API_KEYS entries.
 */
export function apiKeysFromSecret(text: string): ApiKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('the API key secret is not JSON: expected {"owner","token"} or {"keys":[…]}');
  }
  const body = parsed as { keys?: unknown } & KeyEntry;
  const entries: KeyEntry[] = Array.isArray(body.keys) ? (body.keys as KeyEntry[]) : [body];
  const pairs = entries.map((entry, index) => {
    if (typeof entry?.owner !== 'string' || typeof entry.token !== 'string')
      throw new ConfigError(`the API key secret's entry ${index} needs string "owner" and "token" fields`);
    if (entry.owner.includes(',') || entry.token.includes(','))
      throw new ConfigError(`the API key secret's entry ${index} must not contain ','`);
    return `${entry.owner}:${entry.token}`;
  });
  return parseApiKeys(pairs.join(','));
}

/** Reads a secret's current version as text. */
export function secretsManagerString(client: SecretsSender, secretId: string): () => Promise<string> {
  return async () => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (result.SecretString === undefined) throw new ConfigError(`secret ${secretId} has no SecretString`);
    return result.SecretString;
  };
}

/** Reads the secret's current version and parses its keys. */
export function secretsManagerKeys(client: SecretsSender, secretId: string): () => Promise<ApiKey[]> {
  const read = secretsManagerString(client, secretId);
  return async () => apiKeysFromSecret(await read());
}
