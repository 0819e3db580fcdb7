#!/usr/bin/env node
// Launcher: registers the TypeScript loader, then runs the CLI from source.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../functions/cli/main.ts');
const code = await runCli(process.argv.slice(2));
// Let pending stdout/stderr writes drain before exiting with the command's code.
process.exitCode = code;
