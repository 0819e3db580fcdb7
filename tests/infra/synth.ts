// Synthesizes a test app with the AwsSolutions checks registered, returning the findings cdk-nag
// reports (CDK's policy validation report) instead of throwing on them.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

export type NagFinding = { readonly rule: string; readonly paths: readonly string[] };

type Report = {
  pluginReports?: { violations?: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
};

/** A fresh app that skips asset bundling (no esbuild run, no Docker), writing to a temp directory. */
export function testApp(): App {
  return new App({
    outdir: mkdtempSync(join(tmpdir(), 'ldam-infra-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
}

/** Runs synthesis with cdk-nag and lists its findings (empty when the app passes). */
export function synthWithNag(app: App): NagFinding[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch (error) {
    // Policy validation throws once it has written its report; anything else is a real failure.
    if (!/ValidationFailed|Validation failed/.test(String(error))) throw error;
  }
  const reportPath = join(app.outdir, 'validation-report.json');
  if (!existsSync(reportPath)) return [];
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  return (report.pluginReports ?? []).flatMap((plugin) =>
    (plugin.violations ?? []).map((violation) => ({
      rule: violation.ruleName,
      paths: violation.violatingConstructs.map((construct) => construct.constructPath),
    })),
  );
}
