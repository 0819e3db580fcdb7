// `npm run synth` for real: a child process, esbuild bundling the real Lambda entry, cdk-nag, no AWS
// credentials and no Docker.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiEnv, TrainerEnv } from '../../../trainer/process/contract.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

function synth(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'ldam-synth-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
  };
  // No credentials may be needed: make sure none can be found.
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

/** The staged bundle of the API function (its code's S3 key is `<asset hash>.zip`). */
function bundlePath(outdir: string, fn: Resource): string {
  const key = String((fn.Properties.Code as { S3Key: unknown }).S3Key);
  const dir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  return join(dir, readdirSync(dir).find((file) => file.endsWith('.mjs')) ?? 'index.mjs');
}

describe('npm run synth', () => {
  let result: ReturnType<typeof synth>;
  let template: Template;
  let apiFunction: Resource;

  beforeAll(() => {
    result = synth();
    const templatePath = join(result.outdir, 'LdamRunner.template.json');
    if (existsSync(templatePath)) {
      template = JSON.parse(readFileSync(templatePath, 'utf8')) as Template;
      const functions = Object.values(template.Resources).filter(
        (resource) => resource.Type === 'AWS::Lambda::Function',
      );
      apiFunction = functions[0] as Resource;
    }
  }, 300_000);

  it('writes the template offline, with no cdk-nag or Dockerfile error', () => {
    expect(result.stderr).not.toMatch(/^error /m);
    expect(result.status).toBe(0);
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::Batch::JobDefinition',
        'AWS::Batch::JobQueue',
        'AWS::Lambda::Url',
        'AWS::S3::Bucket',
      ]),
    );
    expect(apiFunction.Properties.Handler).toBe('index.handler');
  });

  it("bundles functions/lambda.ts so that it exports the function's handler", () => {
    const bundle = readFileSync(bundlePath(result.outdir, apiFunction), 'utf8');
    // esbuild's ESM output ends with `export{a as handler}` (or exports the name itself).
    expect(bundle).toMatch(/export\s*\{[^}]*\b(?:\w+ as )?handler\b[^}]*\}/);
  });

  it('serves GET /healthz from the bundle (Lambda runtime mocked: stand-in awslambda global)', () => {
    const driver = join(result.outdir, 'invoke-healthz.mjs');
    writeFileSync(
      driver,
      `import { Writable } from 'node:stream';
const chunks = [];
let prelude;
globalThis.awslambda = {
  streamifyResponse: (fn) => fn,
  HttpResponseStream: { from: (stream, metadata) => { prelude = metadata; return stream; } },
};
const { handler } = await import(process.argv[2]);
const stream = new Writable({ write(chunk, _enc, done) { chunks.push(Buffer.from(chunk)); done(); } });
const finished = new Promise((resolve) => stream.on('finish', resolve));
await handler({
  version: '2.0', rawPath: '/healthz', rawQueryString: '', isBase64Encoded: false,
  headers: { host: 'example.lambda-url.eu-west-1.on.aws', authorization: 'Bearer token-of-twelve' },
  requestContext: { domainName: 'example.lambda-url.eu-west-1.on.aws', http: { method: 'GET', path: '/healthz', sourceIp: '203.0.113.9' } },
}, stream, {});
await finished;
process.stdout.write('\\nRESULT ' + JSON.stringify({ statusCode: prelude?.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
`,
    );
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      [ApiEnv.runner]: 'aws-batch',
      [ApiEnv.batchJobQueue]: 'arn:aws:batch:eu-west-1:123456789012:job-queue/q',
      [ApiEnv.batchJobDefinition]: 'arn:aws:batch:eu-west-1:123456789012:job-definition/d:1',
      [ApiEnv.apiKeys]: 'admin:token-of-twelve',
      [TrainerEnv.s3Bucket]: 'ldam-test-bucket',
      [TrainerEnv.s3Region]: 'eu-west-1',
      AWS_REGION: 'eu-west-1',
    };
    const run = spawnSync(process.execPath, [driver, bundlePath(result.outdir, apiFunction)], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    // Node 20 here: the AWS SDK's Node-version notice is the only thing allowed on stderr (Lambda runs 22).
    expect(run.stderr).not.toMatch(/Error|error:/);
    // The API logs JSON lines to stdout too; the driver's result is the last, marked line.
    const response = JSON.parse(run.stdout.split('\nRESULT ').at(-1) ?? '') as {
      statusCode: number;
      body: string;
    };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, runner: 'aws-batch' });
  });

  it('stops on a setting Batch would reject, naming it', () => {
    const rejected = synth({ runnableTimeoutMinutes: 5 });
    expect(rejected.status).not.toBe(0);
    expect(rejected.stderr).toMatch(/runnableTimeoutMinutes must be an integer in 10\.\.1440/);
  }, 300_000);
});
