import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../functions/openapi/document.ts';

const run = promisify(execFile);
const redocly = join(
  dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin',
  'cli.js',
);

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(buildOpenApiDocument(), null, 2));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the OpenAPI document', () => {
  it('passes `redocly lint` with the recommended rules without errors', async () => {
    // Exit code 1 on errors: read the JSON report either way.
    const { stdout } = await run(process.execPath, [redocly, 'lint', file, '--format=json'], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout: string }) => error);
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as LintReport;
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // The only warnings allowed: no 4xx on the public routes that take no input at all.
    const warned = report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    for (const warning of warned)
      expect(warning).toMatch(/^operation-4xx-response #\/paths\/~1(healthz|openapi\.json|docs[^/]*|)\/get/);
  });

  it('is valid OpenAPI 3.1 for swagger-parser (schemas, references, parameters)', async () => {
    const api = await SwaggerParser.validate(structuredClone(buildOpenApiDocument()) as never);
    expect(api.info.title).toBe('ldam-runner API');
  });

  it('names a licence and a server, and documents a 4xx on every route that takes input or a key', () => {
    const doc = buildOpenApiDocument() as {
      info: { license?: { identifier?: string } };
      servers?: { url: string }[];
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security: unknown[] }>>;
    };
    expect(doc.info.license?.identifier).toBe('MIT');
    expect(doc.servers?.[0]?.url).toBe('/');
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods))
        if (op.security.length > 0) expect(Object.keys(op.responses), `${method} ${path}`).toContain('401');
  });
});
