import { execSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardScript } from '../../../functions/dashboard/assets.ts';
import { dashboardBundlingHooks } from '../../../infra/lib/dashboard-bundling.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('the API function bundling', () => {
  it('builds the dashboard script into the Lambda asset, where the function finds it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ldam-asset-'));
    try {
      for (const command of dashboardBundlingHooks(repositoryRoot).afterBundling(repositoryRoot, out))
        execSync(command, { stdio: 'pipe' });
      const written = await readFile(join(out, 'dashboard', 'app.js'), 'utf8');
      expect(written.length).toBeGreaterThan(100_000);
      // The handler bundle sits at the asset root: its module URL finds the same file.
      expect(await dashboardScript(`file://${out}/index.mjs`)()).toBe(written);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
