// Where the dashboard script comes from: a file bundled beside the deployed function
// (dashboard/app.js, written at deploy time), else an in-memory esbuild build made once.
import { readFile } from 'node:fs/promises';

export type DashboardScript = () => Promise<string>;

export const bundledScriptName = 'dashboard/app.js';

export function dashboardScript(moduleUrl: string = import.meta.url): DashboardScript {
  let script: Promise<string> | undefined;
  return () => {
    script ??= readFile(new URL(`./${bundledScriptName}`, moduleUrl), 'utf8').catch(async () => {
      const { buildDashboardScript } = await import('./build.ts');
      return buildDashboardScript();
    });
    // A failed build is retried on the next request instead of being cached.
    script.catch(() => {
      script = undefined;
    });
    return script;
  };
}
