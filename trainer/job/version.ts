import { readFileSync } from 'node:fs';

/** The package version, recorded in run.json. */
export const trainerVersion: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
