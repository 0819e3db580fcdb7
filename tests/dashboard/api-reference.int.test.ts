// The API reference (/docs, Swagger UI) in a real headless chromium against the real Node server:
// every operation and named schema of the served document is drawn, with the request examples,
// and the page loads nothing from anywhere but this server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/http/logger.ts';
import { type RunningServer, startServer } from '../../functions/server.ts';
import { type Browser, launchBrowser, screenshot } from './browser.ts';

const long = 120_000;
let server: RunningServer;
let browser: Browser;
let page: Page;
let dataDir: string | undefined;
const requested: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ldam-reference-'));
  const env: Record<string, string | undefined> = { ...process.env, LDAM_DATA_DIR: dataDir };
  delete env.S3_ENDPOINT;
  delete env.LDAM_API_KEYS;
  server = await startServer({ host: '127.0.0.1', port: 0, env, logger: silentLogger });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('request', (request) => requested.push(request.url()));
}, long);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('the API reference in chromium', () => {
  it('draws every operation and named schema of the served document, from local assets only', async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    const operations = Object.values(document.paths).flatMap((methods) => Object.keys(methods));
    await page.goto(`${server.url}/docs`);
    const blocks = page.locator('.opblock');
    await expect.poll(() => blocks.count(), { timeout: long }).toBe(operations.length);
    const schemas = Object.keys(document.components.schemas);
    const section = page.locator('section.models');
    for (const name of schemas)
      await section.getByText(name, { exact: true }).first().waitFor({ timeout: long });
    // The submit operation shows its request example and, on the Schema tab, the spec's fields.
    const submit = page.locator('#operations-default-postV1Jobs');
    await submit.locator('.opblock-summary').click();
    await expect
      .poll(() => submit.locator('.body-param__example').textContent(), { timeout: long })
      .toContain('resnet32');
    for (const url of requested) expect(new URL(url).origin).toBe(server.url);
    await screenshot(page, 'api-reference');
  });
});
