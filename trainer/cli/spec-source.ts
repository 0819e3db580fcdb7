import { readFile } from 'node:fs/promises';
import { type ExperimentSpec, parseExperimentSpecJson } from '../spec/index.ts';
import { S3Store, s3OptionsFromEnv } from '../store/index.ts';

type Env = Readonly<Record<string, string | undefined>>;

function parseS3Url(url: string): { bucket: string; key: string } {
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) throw new Error(`'${url}' is not s3://bucket/key`);
  return { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** The spec's JSON text from a file or an s3://bucket/key object. */
export async function readSpecText(location: string, env: Env): Promise<string> {
  if (location.startsWith('s3://')) {
    const { bucket, key } = parseS3Url(location);
    const source = new S3Store(s3OptionsFromEnv(env, { bucket }));
    try {
      return new TextDecoder().decode(await source.get(key));
    } finally {
      source.close();
    }
  }
  return readFile(location, 'utf8');
}

/** Reads and validates the spec (SpecValidationError lists every failing field). */
export async function loadSpec(location: string, env: Env): Promise<ExperimentSpec> {
  return parseExperimentSpecJson(await readSpecText(location, env));
}
