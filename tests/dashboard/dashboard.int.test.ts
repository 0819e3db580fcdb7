// The dashboard in a real headless chromium against the real Node server (embedded S3, local
// runner, real `ldam train`): one browser and one server for every test in this file.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, ok } from '../../functions/client/client.ts';
import { silentLogger } from '../../functions/http/logger.ts';
import { type RunningServer, startServer } from '../../functions/server.ts';
import { tinySpec, waitFor } from '../functions/support.ts';
import { type Browser, launchBrowser, seriousAccessibilityIssues } from './browser.ts';

const screenshotDir = join(import.meta.dirname, '..', '..', 'test-output', 'dashboard');

let server: RunningServer;
let browser: Browser;
let page: Page;
let dataDir: string | undefined;
const ids: Record<'erm' | 'ldam' | 'slow', string> = { erm: '', ldam: '', slow: '' };

const quick = (name: string, loss: string) =>
  tinySpec({
    name,
    loss: { type: loss },
    schedule: { epochs: 3 },
    rebalance: { rule: 'drw', afterEpoch: 2 },
  });
// Long enough to watch: the browser sees epochs arrive, then cancels it.
const slow = tinySpec({
  name: 'slow',
  dataset: {
    name: 'synthetic',
    numClasses: 4,
    maxPerClass: 800,
    synthetic: { shape: [64], testPerClass: 50 },
  },
  model: { arch: 'mlp', hidden: [256, 256] },
  optimizer: { batchSize: 8 },
  schedule: { epochs: 40 },
  checkpoint: { everyEpochs: 5 },
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!enabled) return;
  dataDir = await mkdtemp(join(tmpdir(), 'ldam-dashboard-'));
  await mkdir(screenshotDir, { recursive: true });
  const env: Record<string, string | undefined> = { ...process.env, LDAM_DATA_DIR: dataDir };
  delete env.S3_ENDPOINT;
  delete env.LDAM_API_KEYS;
  env.LDAM_MAX_ACTIVE_JOBS_PER_KEY = '4';
  // The two quick jobs at once; the slow one starts after them, so it is still running when watched.
  env.LDAM_MAX_CONCURRENT_JOBS = '2';
  server = await startServer({ host: '127.0.0.1', port: 0, env, logger: silentLogger, pollMs: 200 });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  const api = createApiClient({ url: server.url });
  const submit = async (spec: Record<string, unknown>) =>
    (await ok(api.POST('/v1/jobs', { body: spec as never }))).id;
  ids.erm = await submit(quick('ERM-DRW', 'ce'));
  ids.ldam = await submit(quick('LDAM-DRW', 'ldam'));
  for (const id of [ids.erm, ids.ldam])
    await waitFor(
      async () => {
        const job = await ok(api.GET('/v1/jobs/{id}', { params: { path: { id } } }));
        if (['failed', 'cancelled', 'timed_out'].includes(job.status)) throw new Error(`${id} ${job.status}`);
        return job.status === 'succeeded' ? job : undefined;
      },
      120_000,
      `job ${id}`,
    );
  ids.slow = await submit(slow);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

// Opt-in for now (LDAM_BROWSER_TESTS=1): on a loaded shared machine the live-curve and cancel
// steps race the trainer (start-up alone took 20-40 s), so they are not yet fit for the default suite.
const enabled = process.env.LDAM_BROWSER_TESTS === '1';
if (!enabled) console.warn('dashboard browser tests skipped: set LDAM_BROWSER_TESTS=1 to run them');

describe.skipIf(!enabled)('the dashboard in chromium', () => {
  it('lists a running job in the runs table, newest first', async () => {
    await page.goto(`${server.url}/`);
    await page.locator(`tr[data-job="${ids.slow}"][data-status="running"]`).waitFor({ timeout: 60_000 });
    const order = await page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')));
    expect(order).toEqual([ids.slow, ids.ldam, ids.erm]);
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await screenshot('runs');
  });

  it("draws the running job's curves and adds points as epochs arrive, without reloading", async () => {
    // A fresh tab: the page loads straight into the job, as a shared link would.
    await page.close();
    page = await browser.context.newPage();
    await page.goto(`${server.url}/#/jobs/${ids.slow}`);
    const curves = page.locator('#curves');
    await page.locator('#curves svg').waitFor({ timeout: 60_000 });
    const first = Number(await curves.getAttribute('data-points'));
    await waitFor(
      async () => (Number(await curves.getAttribute('data-points')) > first ? true : undefined),
      60_000,
      `more than ${first} curve points (stream: ${await page.locator('#stream-state').textContent()})`,
    ).catch(async (error: unknown) => {
      await screenshot('job-live-failed');
      throw error;
    });
    expect(await page.locator('#curves [aria-roledescription="point"]').count()).toBeGreaterThan(0);
  });

  it('cancels the running job from its page', async () => {
    await page.locator('#cancel').click();
    await page
      .locator('#job-status', { hasText: 'cancelled' })
      .waitFor({ timeout: 120_000 })
      .catch(async (error: unknown) => {
        await screenshot('cancel-failed');
        const job = await ok(
          createApiClient({ url: server.url }).GET('/v1/jobs/{id}', { params: { path: { id: ids.slow } } }),
        );
        throw new Error(
          `${String(error)}; the API says ${job.status}, cancelRequested ${job.cancelRequested}`,
        );
      });
    await page.locator('#cancel').click();
    // Cancelling a finished job is refused; the page shows the API's message.
    await page.locator('.error', { hasText: /HTTP 409/ }).waitFor();
  });

  it("shows a finished job's curves, per-class chart, groups, log tail and artifacts", async () => {
    await page.goto(`${server.url}/#/jobs/${ids.ldam}`);
    await page.locator('#per-class svg').waitFor({ timeout: 30_000 });
    await page.locator('#curves svg').waitFor();
    // One count bar per class, labelled by its description.
    expect(await page.locator('#per-class path[aria-label$="training images"]').count()).toBe(3);
    expect(await page.locator('table.groups td').count()).toBe(5);
    await page.locator('#artifacts a', { hasText: 'reports/report.json' }).waitFor();
    expect(await page.locator('#logs').textContent()).not.toBe('');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await screenshot('job');
  });

  it('compares two jobs: overlaid curves and per-class errors', async () => {
    await page.goto(`${server.url}/#/compare?jobs=${ids.erm},${ids.ldam}`);
    await page.locator('#compare-per-class svg').waitFor({ timeout: 30_000 });
    expect(await page.locator('#compare-curves').getAttribute('data-runs')).toBe('2');
    const legend = await page.locator('#compare-curves').textContent();
    expect(legend).toContain('ERM-DRW (ERM-DRW)');
    expect(legend).toContain('LDAM-DRW (LDAM-DRW)');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await screenshot('compare');
  });
});
