// The API function's bundling hooks: after esbuild bundles the handler, the dashboard script is
// built into the same asset as dashboard/app.js and Swagger UI's two files are copied to
// reference/, so the Lambda serves the page and the API reference without a build tool or a CDN
// at run time (functions/dashboard/assets.ts and functions/openapi/reference-assets.ts read them
// beside the handler).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { bundledScriptName } from '../../functions/dashboard/assets.ts';
import { bundledReferenceDir, referenceAssetNames } from '../../functions/openapi/reference-assets.ts';

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

function referenceCopy(outputDir: string): string {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const target = `${outputDir}/${bundledReferenceDir}`;
  const files = referenceAssetNames.map((name) => quote(join(dist, name))).join(' ');
  return `mkdir -p ${quote(target)} && cp ${files} ${quote(target)}/`;
}

export function dashboardBundlingHooks(repositoryRoot: string): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => [
      `cd ${quote(repositoryRoot)} && node --import tsx scripts/build-dashboard.ts ${quote(`${outputDir}/${bundledScriptName}`)}`,
      referenceCopy(outputDir),
    ],
  };
}
