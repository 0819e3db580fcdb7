// One headless Debian chromium for the browser tests (playwright-core drives it; no browser
// download): root needs --no-sandbox, and a fresh profile keeps runs independent.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Request } from 'playwright-core';
import { waitFor } from '../functions/support.ts';

export const chromiumPath = process.env.LDAM_CHROMIUM ?? '/usr/bin/chromium';

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'ldam-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAccessibilityIssues(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const repositoryRoot = join(import.meta.dirname, '..', '..');
export const screenshotDir = join(repositoryRoot, 'test-output', 'dashboard');

/**
 * A full-page screenshot in test-output/dashboard/; with LDAM_README_SCREENSHOTS=1 also copied to
 * docs/<readme> (the README's images), so they are remade by a test run, never by hand.
 */
export async function screenshot(page: Page, name: string, options: { readme?: string } = {}): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  if (options.readme !== undefined && process.env.LDAM_README_SCREENSHOTS === '1')
    await copyFile(path, join(repositoryRoot, 'docs', options.readme));
}

/** Resolves once the page has had no request in flight for `quietMs` (its refreshes have settled). */
export async function quietNetwork(page: Page, quietMs = 1500, timeoutMs = 60_000): Promise<void> {
  const inFlight = new Set<Request>();
  let lastChange = Date.now();
  const started = (request: Request) => {
    inFlight.add(request);
    lastChange = Date.now();
  };
  const ended = (request: Request) => {
    inFlight.delete(request);
    lastChange = Date.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    await waitFor(
      async () => (inFlight.size === 0 && Date.now() - lastChange >= quietMs ? true : undefined),
      timeoutMs,
      'the page to stop making requests',
    );
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}
