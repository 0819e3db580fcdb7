#!/usr/bin/env node
// Launcher: registers the TypeScript loader, then runs the CLI from source.
import { register } from 'tsx/esm/api';

// The lock file pins the AWS SDK, so its notice that later releases need Node 22 is noise in every
// command's output here (the GPU image runs Node 22).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { runCli } = await import('../functions/cli/main.ts');
const code = await runCli(process.argv.slice(2));
// Let pending stdout/stderr writes drain before exiting with the command's code.
process.exitCode = code;
