import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { TrainerImage } from '../../../infra/lib/trainer-image.ts';
import { testApp } from '../synth.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Binds the image as a container definition does (an asset image only exists once bound). */
function imageName(stack: Stack, image: TrainerImage): string {
  const executionRole = new Role(stack, 'ExecutionRole', {
    assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
  });
  // bind() only calls taskDefinition.obtainExecutionRole(); a full task definition is not needed.
  const config = image.image.bind(new Construct(stack, 'Consumer'), {
    taskDefinition: { obtainExecutionRole: () => executionRole },
  } as never);
  return JSON.stringify(stack.resolve(config.imageName));
}

describe('TrainerImage', () => {
  it("'repository' runs a tag of an ECR repository CloudFormation names, deleted with the stack", () => {
    const app = testApp();
    const stack = new Stack(app, 'Repo');
    const image = new TrainerImage(stack, 'Image', { source: { kind: 'repository', tag: 'v7' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: Match.absent(),
      ImageScanningConfiguration: { ScanOnPush: true },
      EmptyOnDelete: true,
    });
    template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Delete' });
    expect(imageName(stack, image)).toMatch(/:v7"/);
  });

  it('lets two stacks of the app synthesise side by side without a repository name in common', () => {
    const app = testApp();
    const stacks = ['LdamRunner', 'LdamRunnerStaging'].map((id) => {
      const stack = new Stack(app, id);
      new TrainerImage(stack, 'Image', { source: { kind: 'repository', tag: 'latest' } });
      return stack;
    });
    const names = stacks.map((stack) =>
      Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository')).map(
        (r) => (r.Properties as { RepositoryName?: unknown }).RepositoryName,
      ),
    );
    expect(names).toEqual([[undefined], [undefined]]);
    expect(() => app.synth()).not.toThrow();
  });

  it("'asset' stages Dockerfile.gpu with only the allowlisted sources, for linux/amd64", () => {
    const app = testApp();
    const stack = new Stack(app, 'Asset');
    const image = new TrainerImage(stack, 'Image', { source: { kind: 'asset', directory: root } });
    expect(imageName(stack, image)).toContain('container-assets');
    const assembly = app.synth();
    const manifest = JSON.parse(readFileSync(join(assembly.directory, 'Asset.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile: string; platform: string } }>;
    };
    const [asset] = Object.values(manifest.dockerImages);
    expect(asset?.source).toMatchObject({ dockerFile: 'Dockerfile.gpu', platform: 'linux/amd64' });
    const staged = readdirSync(join(assembly.directory, asset?.source.directory ?? '')).sort();
    expect(staged).toEqual(
      [
        '.dockerignore',
        'Dockerfile.gpu',
        'bin',
        'functions',
        'package-lock.json',
        'package.json',
        'trainer',
      ].sort(),
    );
  });
});
