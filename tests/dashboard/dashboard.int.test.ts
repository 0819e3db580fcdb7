// The dashboard in a real headless chromium against the real Node server (embedded S3, local
// runner, real `ldam train`): one browser and one server for the file. Every wait is on a
// condition (a locator, an attribute the page sets once a chart is drawn, the API's status) with
// a generous timeout, so a loaded machine only makes it slower.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, ok } from '../../functions/client/client.ts';
import { silentLogger } from '../../functions/http/logger.ts';
import { type RunningServer, startServer } from '../../functions/server.ts';
import { tinySpec, waitFor } from '../functions/support.ts';
import {
  type Browser,
  launchBrowser,
  quietNetwork,
  screenshot,
  seriousAccessibilityIssues,
} from './browser.ts';

// Generous: every job read replays the job's event log, which is slow on a loaded machine.
const long = 240_000;

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
// About a second an epoch (400 steps), more epochs than any test waits for: the browser sees
// them arrive, then cancels it. (Faster epochs only flood the event log.)
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
  schedule: { epochs: 300 },
  checkpoint: { everyEpochs: 100 },
});

const api = () => createApiClient({ url: server.url });
const jobStatus = async (id: string) =>
  (await ok(api().GET('/v1/jobs/{id}', { params: { path: { id } } }))).status;

async function succeeded(id: string): Promise<void> {
  await waitFor(
    async () => {
      const status = await jobStatus(id);
      if (['failed', 'cancelled', 'timed_out'].includes(status)) throw new Error(`${id} ${status}`);
      return status === 'succeeded' ? true : undefined;
    },
    long,
    `job ${id} to succeed`,
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ldam-dashboard-'));
  const env: Record<string, string | undefined> = { ...process.env, LDAM_DATA_DIR: dataDir };
  delete env.S3_ENDPOINT;
  delete env.LDAM_API_KEYS;
  env.LDAM_MAX_ACTIVE_JOBS_PER_KEY = '4';
  // The two quick jobs at once and finished first; then the slow one runs alone while it is
  // watched (three trainers at once starve the server on a loaded 2-core machine).
  env.LDAM_MAX_CONCURRENT_JOBS = '2';
  env.LDAM_MAX_ESTIMATED_SECONDS = '86400';
  server = await startServer({ host: '127.0.0.1', port: 0, env, logger: silentLogger });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  const submit = async (spec: Record<string, unknown>) =>
    (await ok(api().POST('/v1/jobs', { body: spec as never }))).id;
  ids.erm = await submit(quick('ERM-DRW', 'ce'));
  ids.ldam = await submit(quick('LDAM-DRW', 'ldam'));
  await Promise.all([succeeded(ids.erm), succeeded(ids.ldam)]);
  ids.slow = await submit(slow);
}, 2 * long);

afterAll(async () => {
  // The slow job is cancelled by a test; when that test did not run, cancel it here.
  if (
    ids.slow !== '' &&
    !['cancelled', 'failed', 'succeeded', 'timed_out'].includes(await jobStatus(ids.slow))
  )
    await api().POST('/v1/jobs/{id}/cancel', { params: { path: { id: ids.slow } } });
  await browser?.close();
  await server?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('the dashboard in chromium', () => {
  it('lists a running job in the runs table, newest first', async () => {
    await page.goto(`${server.url}/`);
    await page.locator(`tr[data-job="${ids.slow}"][data-status="running"]`).waitFor({ timeout: long });
    const order = await page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')));
    expect(order).toEqual([ids.slow, ids.ldam, ids.erm]);
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await screenshot(page, 'runs');
  });

  it("draws the running job's curves and adds points as epochs arrive, without reloading", async () => {
    // A fresh tab: the page loads straight into the job, as a shared link would.
    await page.close();
    page = await browser.context.newPage();
    await page.goto(`${server.url}/#/jobs/${ids.slow}`);
    const curves = page.locator('#curves');
    const drawnPoints = async () => Number((await curves.getAttribute('data-points')) ?? 0);
    await expect.poll(drawnPoints, { timeout: long }).toBeGreaterThan(0);
    const first = await drawnPoints();
    await expect.poll(drawnPoints, { timeout: long }).toBeGreaterThan(first);
    expect(await page.locator('#curves [aria-roledescription="point"]').count()).toBeGreaterThan(first / 2);
    expect(await page.locator('#stream-state').textContent()).toBe('live');
  });

  it('cancels the running job from its page', async () => {
    await page.locator('#cancel').click();
    await page.locator('#job-status', { hasText: 'cancelled' }).waitFor({ timeout: long });
    expect(await jobStatus(ids.slow)).toBe('cancelled');
    await page.locator('#cancel').click();
    // Cancelling a finished job is refused; the page shows the API's message.
    await page.locator('.error', { hasText: /HTTP 409/ }).waitFor({ timeout: long });
  });

  it("shows a finished job's curves, per-class chart, groups, confusion, log tail and artifacts", async () => {
    const reportReads: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/report')) reportReads.push(request.url());
    });
    await page.goto(`${server.url}/#/jobs/${ids.ldam}`);
    await page.locator('#stream-state', { hasText: 'stream ended' }).waitFor({ timeout: long });
    await page.locator('#per-class[data-drawn]').waitFor({ timeout: long });
    await page.locator('#confusion[data-drawn]').waitFor({ timeout: long });
    await quietNetwork(page);
    // Every replayed status event used to redraw the report: the chart was replaced by an empty
    // one (0 bars) while the next drew. It is read and drawn once.
    expect(reportReads).toHaveLength(1);
    expect(await page.locator('#per-class[data-drawn]').count()).toBe(1);
    // One count bar and one final-epoch point per class, labelled by their descriptions.
    expect(await page.locator('#per-class path[aria-label$="training images"]').count()).toBe(3);
    expect(await page.locator('#per-class path[aria-label*=": final (epoch 3)"]').count()).toBe(3);
    expect(await page.locator('#confusion path[role="graphics-symbol"]').count()).toBe(9);
    expect(await page.locator('table.groups td').count()).toBe(5);
    await page.locator('#artifacts a', { hasText: 'reports/report.json' }).waitFor();
    expect(await page.locator('#logs').textContent()).not.toBe('');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await screenshot(page, 'job', { readme: 'dashboard-job.png' });
  });

  it('compares two jobs: overlaid curves and per-class errors', async () => {
    await page.goto(`${server.url}/#/compare?jobs=${ids.erm},${ids.ldam}`);
    await page.locator('#compare-per-class[data-drawn]').waitFor({ timeout: long });
    await page.locator('#compare-curves[data-drawn]').waitFor({ timeout: long });
    expect(await page.locator('#compare-curves').getAttribute('data-runs')).toBe('2');
    const legend = await page.locator('#compare-curves').textContent();
    expect(legend).toContain('ERM-DRW (ERM-DRW)');
    expect(legend).toContain('LDAM-DRW (LDAM-DRW)');
    // The paper's Figure 3 view: each run's training error dotted, its balanced test error solid.
    await page.locator('#compare-train-test[data-drawn]').waitFor({ timeout: long });
    const lines = page.locator('#compare-train-test path[aria-roledescription="line mark"]');
    expect(await lines.count()).toBe(4);
    expect(
      await page
        .locator('#compare-train-test path[stroke-dasharray="2,3"][aria-roledescription="line mark"]')
        .count(),
    ).toBe(2);
    const marks = await page
      .locator('#compare-train-test path[aria-roledescription="point"]')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('aria-label') ?? ''));
    // Three epochs of both series for both runs.
    expect(marks.filter((m) => m.includes('training error'))).toHaveLength(6);
    expect(marks.filter((m) => m.includes('balanced test error'))).toHaveLength(6);
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await screenshot(page, 'compare', { readme: 'dashboard-compare.png' });
  });
});
