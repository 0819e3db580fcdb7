// `npm run synth` for real: a child process, esbuild bundling the real Lambda entry, cdk-nag, no AWS
// credentials and no Docker.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

function synth(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'ldam-synth-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
  };
  // No credentials may be needed: make sure none are found.
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete env[name];
  env.AWS_CONFIG_FILE = join(outdir, 'no-config');
  env.AWS_SHARED_CREDENTIALS_FILE = join(outdir, 'no-credentials');
  const result = spawnSync('npm', ['run', '--silent', 'synth'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { ...result, outdir };
}

describe('npm run synth', () => {
  it('writes the template offline, bundling functions/lambda.ts with both handler exports', () => {
    const result = synth();
    expect(result.stderr).not.toMatch(/^error /m);
    expect(result.status).toBe(0);
    const templatePath = join(result.outdir, 'LdamRunner.template.json');
    expect(existsSync(templatePath)).toBe(true);
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as Template;
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::Batch::JobDefinition',
        'AWS::Batch::JobQueue',
        'AWS::Lambda::Url',
        'AWS::S3::Bucket',
      ]),
    );
    const functions = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions.map((fn) => fn.Properties.Handler).sort()).toEqual([
      'index.bufferedHandler',
      'index.handler',
    ]);
    for (const fn of functions) {
      // The code's S3 key is `<asset hash>.zip`; the staged bundle sits in `asset.<asset hash>/`.
      const key = String((fn.Properties.Code as { S3Key: unknown }).S3Key);
      const assetDir = join(result.outdir, `asset.${key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(
        join(assetDir, readdirSync(assetDir).find((file) => file.endsWith('.mjs')) ?? ''),
        'utf8',
      );
      const exported = String(fn.Properties.Handler).replace('index.', '');
      // esbuild's ESM output ends with `export{a as bufferedHandler,b as handler}` (or exports the name itself).
      expect(bundle).toMatch(new RegExp(`export\\s*\\{[^}]*\\b(?:\\w+ as )?${exported}\\b[^}]*\\}`));
    }
  }, 300_000);

  it('stops on a setting Batch would reject, naming it', () => {
    const result = synth({ runnableTimeoutMinutes: 5 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/runnableTimeoutMinutes must be an integer in 10\.\.1440/);
  }, 300_000);
});
