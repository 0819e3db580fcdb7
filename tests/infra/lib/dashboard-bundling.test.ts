import { execSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardScript } from '../../../functions/dashboard/assets.ts';
import { referenceAssetNames, referenceAssets } from '../../../functions/openapi/reference-assets.ts';
import { dashboardBundlingHooks } from '../../../infra/lib/dashboard-bundling.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('the API function bundling', () => {
  it("builds the dashboard script and copies Swagger UI's files into the Lambda asset, where the function finds them", async () => {
    const out = await mkdtemp(join(tmpdir(), 'ldam-asset-'));
    try {
      for (const command of dashboardBundlingHooks(repositoryRoot).afterBundling(repositoryRoot, out))
        execSync(command, { stdio: 'pipe' });
      const written = await readFile(join(out, 'dashboard', 'app.js'), 'utf8');
      expect(written.length).toBeGreaterThan(100_000);
      // The handler bundle sits at the asset root: its module URL finds the same file.
      expect(await dashboardScript(`file://${out}/index.mjs`)()).toBe(written);
      // The reference reads its copies beside the handler (no node_modules in the function).
      const assets = referenceAssets(`file://${out}/index.mjs`);
      for (const name of referenceAssetNames) {
        const copied = await readFile(join(out, 'reference', name), 'utf8');
        expect(copied.length).toBeGreaterThan(100_000);
        expect(await assets(name)).toBe(copied);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
