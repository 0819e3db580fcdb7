// The API function's bundling hooks: after esbuild bundles the handler, the dashboard script is
// built into the same asset as dashboard/app.js, so the Lambda serves the page without a build
// tool at run time (functions/dashboard/assets.ts reads it beside the handler).
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { bundledScriptName } from '../../functions/dashboard/assets.ts';

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

export function dashboardBundlingHooks(repositoryRoot: string): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => [
      `cd ${quote(repositoryRoot)} && node --import tsx scripts/build-dashboard.ts ${quote(`${outputDir}/${bundledScriptName}`)}`,
    ],
  };
}
