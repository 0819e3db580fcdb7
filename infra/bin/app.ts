// The CDK app: `npm run synth` (offline: no AWS credentials, no Docker) or `cdk deploy` from infra/.
// Settings come from context (-c key=value, see infra/lib/app-context.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { appSettingsFromContext } from '../lib/app-context.ts';
import { LdamRunnerStack } from '../lib/ldam-runner-stack.ts';
import { gpuPackage, trainerDockerfileProblems } from '../lib/trainer-dockerfile.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

function pinnedGpuPackageVersion(): string {
  const manifest = JSON.parse(readFileSync(`${repositoryRoot}package.json`, 'utf8')) as {
    optionalDependencies?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  return manifest.optionalDependencies?.[gpuPackage] ?? manifest.dependencies?.[gpuPackage] ?? '(not pinned)';
}

const app = new App({ outdir: process.env.CDK_OUTDIR ?? `${repositoryRoot}cdk.out` });
const settings = appSettingsFromContext((key) => app.node.tryGetContext(key));
const stack = new LdamRunnerStack(app, settings.stackName, {
  ...settings.props,
  description: 'ldam-runner: LDAM-DRW training jobs on AWS Batch GPU instances behind an HTTP API',
});
// The image the job definition runs must be able to load its GPU backend: check before deploying it.
const dockerfile = readFileSync(`${repositoryRoot}Dockerfile.gpu`, 'utf8');
for (const problem of trainerDockerfileProblems(dockerfile, {
  tfjsNodeGpuVersion: pinnedGpuPackageVersion(),
})) {
  Annotations.of(stack).addError(`Dockerfile.gpu: ${problem}`);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

const assembly = app.synth();
const errors = assembly.stacks.flatMap((artifact) =>
  artifact.messages.filter((message) => message.level === 'error'),
);
for (const error of errors) process.stderr.write(`error ${error.id}: ${String(error.entry.data)}\n`);
// The cdk CLI prints its own summary; run directly (npm run synth), say where the template went.
if (process.env.CDK_OUTDIR === undefined) {
  const template = assembly.getStackArtifact(stack.artifactId).templateFullPath;
  process.stdout.write(`${errors.length === 0 ? 'synthesized' : 'synthesized with errors'}: ${template}\n`);
}
if (errors.length > 0) process.exitCode = 1;
