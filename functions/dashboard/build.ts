// Bundles the dashboard's browser code (web/main.ts with the generated client, vega and
// vega-lite) into one script with esbuild. The Node server builds it in memory on first use; the
// CDK app runs the same build into the Lambda asset (scripts/build-dashboard.ts).
import { fileURLToPath } from 'node:url';

export const dashboardEntry = fileURLToPath(new URL('./web/main.ts', import.meta.url));

export async function buildDashboardScript(): Promise<string> {
  // Loaded only here: esbuild is a build tool, absent from the deployed function.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [dashboardEntry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error('esbuild produced no dashboard bundle');
  return file.text;
}
