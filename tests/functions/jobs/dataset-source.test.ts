// The API's dataset-source check over real directories and symlinks in a temp directory: resolved
// like the trainer resolves it where the API sees the trainer's files, by its text alone elsewhere.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seesTrainerFiles, sourceIssues } from '../../../functions/jobs/dataset-source.ts';
import { type SourcePolicy, sourcePolicyFromEnv } from '../../../trainer/data/source-policy.ts';

let dir: string;
let roots: string;
let policy: SourcePolicy;
const resolved = { resolveLocal: true } as const;
const textOnly = { resolveLocal: false } as const;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dataset-source-'));
  roots = join(dir, 'roots');
  await mkdir(join(roots, 'set'), { recursive: true });
  await mkdir(join(dir, 'outside'));
  await writeFile(join(roots, 'file.bin'), 'x');
  await symlink(join(dir, 'outside'), join(roots, 'escape'));
  policy = sourcePolicyFromEnv(
    { LDAM_DATA_DIR: join(dir, 'data'), LDAM_DATA_ROOTS: roots, LDAM_DATA_URL_ALLOW: 'data.example' },
    dir,
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('dataset.source at submit', () => {
  it('resolves a local source where the trainer reads this machine: escapes, missing and non-directories refused', async () => {
    expect(await sourceIssues(join(roots, 'set'), policy, resolved)).toEqual([]);
    const rules = async (source: string) => (await sourceIssues(source, policy, resolved)).map((i) => i.rule);
    expect(await rules(join(roots, 'escape'))).toEqual([
      expect.stringMatching(/resolves to .*outside, outside the allowed data roots/),
    ]);
    expect(await rules(join(roots, 'gone'))).toEqual([
      expect.stringMatching(/gone does not exist or is not a directory/),
    ]);
    expect(await rules(join(roots, 'file.bin'))).toEqual([expect.stringMatching(/is not a directory/)]);
  });

  it('checks the text only where the trainer runs in a container, and never touches s3:// or https://', async () => {
    expect(seesTrainerFiles('local')).toBe(true);
    expect(seesTrainerFiles('docker') || seesTrainerFiles('aws-batch')).toBe(false);
    expect(await sourceIssues(join(roots, 'escape'), policy, textOnly)).toEqual([]);
    expect(await sourceIssues('/etc', policy, textOnly)).toEqual([
      { path: 'dataset.source', rule: expect.stringMatching(/outside the allowed data roots/) },
    ]);
    expect(await sourceIssues('s3://ldam-runner/datasets/x', policy, resolved)).toEqual([]);
    expect(await sourceIssues('https://data.example/set.tar', policy, resolved)).toEqual([]);
    expect(await sourceIssues('https://evil.example/set.tar', policy, resolved)).toHaveLength(1);
  });
});
