// `cdk -c key=value` settings → stack props. Pure: context values in, props or readable errors out.
import type { LdamRunnerStackProps } from './ldam-runner-stack.ts';

/** Context keys the app reads; everything else keeps the stack's documented defaults. */
export const contextKeys = {
  stackName: 'stackName',
  trainerImage: 'trainerImage',
  datasetArns: 'datasetArns',
  gpuInstanceTypes: 'gpuInstanceTypes',
  maxvCpus: 'maxvCpus',
  runnableTimeoutMinutes: 'runnableTimeoutMinutes',
  attemptTimeoutMinutes: 'attemptTimeoutMinutes',
  apiKeyOwner: 'apiKeyOwner',
  apiEntry: 'apiEntry',
} as const;

export type AppSettings = { readonly stackName: string; readonly props: LdamRunnerStackProps };

type Lookup = (key: string) => unknown;

/** A list given as a JSON array or as a comma-separated string (what `-c key=a,b` produces). */
function list(value: unknown, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  throw new Error(`context ${key} must be a list of strings or a comma-separated string`);
}

function integer(value: unknown, key: string): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) throw new Error(`context ${key} must be an integer, got ${String(value)}`);
  return number;
}

function text(value: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`context ${key} must be a non-empty string`);
  return value;
}

export function appSettingsFromContext(lookup: Lookup): AppSettings {
  const trainerImage = text(lookup(contextKeys.trainerImage), contextKeys.trainerImage);
  if (trainerImage !== undefined && trainerImage !== 'asset' && trainerImage !== 'repository') {
    throw new Error(
      `context ${contextKeys.trainerImage} must be 'asset' or 'repository', got '${trainerImage}'`,
    );
  }
  const entries: [keyof LdamRunnerStackProps, unknown][] = [
    ['trainerImage', trainerImage],
    ['datasetArns', list(lookup(contextKeys.datasetArns), contextKeys.datasetArns)],
    ['gpuInstanceTypes', list(lookup(contextKeys.gpuInstanceTypes), contextKeys.gpuInstanceTypes)],
    ['maxvCpus', integer(lookup(contextKeys.maxvCpus), contextKeys.maxvCpus)],
    [
      'runnableTimeoutMinutes',
      integer(lookup(contextKeys.runnableTimeoutMinutes), contextKeys.runnableTimeoutMinutes),
    ],
    [
      'attemptTimeoutMinutes',
      integer(lookup(contextKeys.attemptTimeoutMinutes), contextKeys.attemptTimeoutMinutes),
    ],
    ['apiKeyOwner', text(lookup(contextKeys.apiKeyOwner), contextKeys.apiKeyOwner)],
    ['apiEntry', text(lookup(contextKeys.apiEntry), contextKeys.apiEntry)],
  ];
  const props = Object.fromEntries(
    entries.filter(([, value]) => value !== undefined),
  ) as LdamRunnerStackProps;
  return { stackName: text(lookup(contextKeys.stackName), contextKeys.stackName) ?? 'LdamRunner', props };
}
