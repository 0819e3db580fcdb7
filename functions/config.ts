// The API's configuration, parsed once from the environment by each entry point's composition
// root and passed inward as a plain value (nothing below reads process.env).
import { type SourcePolicy, sourcePolicyFromEnv } from '../trainer/data/source-policy.ts';
import { ApiEnv } from '../trainer/process/contract.ts';
import { parsePricePerDeviceHour } from './benchmarks/index.ts';
import { ConfigError } from './errors.ts';
import { type ApiKey, parseApiKeys } from './http/auth.ts';
import type { ApiKeySource } from './http/key-source.ts';
import type { ArtifactUrlMode } from './jobs/artifacts.ts';

export const runnerKinds = ['local', 'docker', 'aws-batch'] as const;
export type RunnerKind = (typeof runnerKinds)[number];

export interface ApiConfig {
  readonly runnerKind: RunnerKind;
  /** Empty = no auth (the server then listens on loopback only), unless `apiKeySource` is given. */
  readonly apiKeys: readonly ApiKey[];
  /** Keys read at request time (the Lambda's Secrets Manager secret); replaces `apiKeys`; never open. */
  readonly apiKeySource?: ApiKeySource;
  readonly maxActiveJobsPerKey: number;
  /** Cost guard: the longest estimated run this runner accepts. */
  readonly maxEstimatedSeconds: number;
  readonly bodyLimitBytes: number;
  /** Where dataset sources may lie (the data engineer's policy, from the same env). */
  readonly sources: SourcePolicy;
  /** How often SSE streams poll the event log, and send a heartbeat comment. */
  readonly eventPollMs: number;
  readonly heartbeatMs: number;
  /** How often a long-lived server advances running benchmarks. */
  readonly benchmarkDriverMs: number;
  /** Artifact URLs: 'api' routes (the store is not reachable by clients) or the store's presigned URLs. */
  readonly artifactUrls: ArtifactUrlMode;
  /** Price of one device-hour, for benchmark cost columns; absent = no prices shown. */
  readonly pricePerDeviceHour?: number;
  /** Host names a key-less server answers in Host and Origin (http/local-guard.ts); 'any' = unchecked. */
  readonly allowedHosts: readonly string[] | 'any';
}

// Four hours on the local CPU runner; a day on a GPU runner.
const defaultMaxEstimatedSeconds: Record<RunnerKind, number> = {
  local: 4 * 3600,
  docker: 24 * 3600,
  'aws-batch': 24 * 3600,
};

function positiveInt(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be a positive integer, got '${text}'`);
  return value;
}

/**
 * LDAM_ARTIFACT_URLS, or by where the store is: the embedded server (no S3_ENDPOINT, not on Lambda)
 * or a loopback endpoint → 'api'; AWS S3 or a remote endpoint → 'store' (presigned URLs).
 */
function artifactUrlMode(env: Readonly<Record<string, string | undefined>>): ArtifactUrlMode {
  const text = env[ApiEnv.artifactUrls]?.trim();
  if (text === 'api' || text === 'store') return text;
  if (text !== undefined && text !== '')
    throw new ConfigError(`${ApiEnv.artifactUrls} must be api or store, got '${text}'`);
  const endpoint = env.S3_ENDPOINT?.trim() ?? '';
  if (endpoint === '') return env.AWS_LAMBDA_FUNCTION_NAME === undefined ? 'api' : 'store';
  return /^https?:\/\/(127\.|localhost[:/]|\[::1\])/.test(endpoint) ? 'api' : 'store';
}

/** Loopback names, the listen address (HOST) and LDAM_ALLOWED_HOSTS; `*` turns the check off. */
function allowedHosts(env: Readonly<Record<string, string | undefined>>): readonly string[] | 'any' {
  const extra = (env[ApiEnv.allowedHosts] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  if (extra.includes('*')) return 'any';
  const host = env[ApiEnv.host]?.trim().toLowerCase();
  return [...new Set(['localhost', '127.0.0.1', '[::1]', ...(host ? [host] : []), ...extra])];
}

/** Builds the config from environment variables; relative data paths resolve against `cwd`. */
export function parseApiConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  overrides: Partial<ApiConfig> = {},
): ApiConfig {
  const runner = env[ApiEnv.runner] ?? 'local';
  if (!(runnerKinds as readonly string[]).includes(runner))
    throw new ConfigError(`${ApiEnv.runner} must be one of ${runnerKinds.join(', ')}, got '${runner}'`);
  const runnerKind = runner as RunnerKind;
  const priceText = env[ApiEnv.pricePerDeviceHour];
  const pricePerDeviceHour = parsePricePerDeviceHour(priceText);
  // A typo would otherwise drop the cost columns without a word.
  if (pricePerDeviceHour === undefined && priceText !== undefined && priceText.trim() !== '')
    throw new ConfigError(`${ApiEnv.pricePerDeviceHour} must be a non-negative number, got '${priceText}'`);
  return {
    runnerKind,
    apiKeys: parseApiKeys(env[ApiEnv.apiKeys] ?? ''),
    maxActiveJobsPerKey: positiveInt(env, ApiEnv.maxActiveJobsPerKey, 4),
    maxEstimatedSeconds: positiveInt(env, ApiEnv.maxEstimatedSeconds, defaultMaxEstimatedSeconds[runnerKind]),
    bodyLimitBytes: 64 * 1024,
    sources: sourcePolicyFromEnv(env, cwd),
    eventPollMs: 500,
    heartbeatMs: 15_000,
    benchmarkDriverMs: 2000,
    artifactUrls: artifactUrlMode(env),
    allowedHosts: allowedHosts(env),
    ...(pricePerDeviceHour === undefined ? {} : { pricePerDeviceHour }),
    ...overrides,
  };
}
