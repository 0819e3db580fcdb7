// How both Lambda functions of the stack (the API and its reconciler) bundle functions/lambda.ts:
// one ESM bundle for Node 22 on arm64, the SDK pinned by the lock file, native packages left out.
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Native or optional training backends: never used by the API, not installable in Lambda. */
export const lambdaExternalModules = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'sharp'] as const;

export const lambdaRuntime = { runtime: Runtime.NODEJS_22_X, architecture: Architecture.ARM_64 } as const;

/** The shared bundling options, with a function's own additions. */
export function lambdaBundling(extra: Partial<BundlingOptions> = {}): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: 'node22',
    minify: true,
    sourceMap: true,
    // The pinned SDK from the lock file, not whichever the runtime carries this month.
    bundleAwsSDK: true,
    mainFields: ['module', 'main'],
    externalModules: [...lambdaExternalModules],
    // CommonJS dependencies call require(); an ESM bundle has to provide it.
    banner:
      "import { createRequire as __ldamCreateRequire } from 'node:module'; const require = __ldamCreateRequire(import.meta.url);",
    ...extra,
  };
}
