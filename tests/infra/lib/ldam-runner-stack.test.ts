import { fileURLToPath } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayHeaders } from '../../../functions/http/gateway-guard.ts';
import { gpuInstances } from '../../../infra/lib/gpu-instances.ts';
import { LdamRunnerStack } from '../../../infra/lib/ldam-runner-stack.ts';
import { ApiEnv, batchJobIdParameter, TrainerEnv, trainerUid } from '../../../trainer/process/contract.ts';
import { type NagFinding, synthWithNag, testApp } from '../synth.ts';

const apiEntry = fileURLToPath(new URL('../fixtures/lambda-entry.ts', import.meta.url));
const datasetArn = 'arn:aws:s3:::shared-datasets/cifar-lt';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let template: Template;
let findings: NagFinding[];

// One synth (with cdk-nag) shared by every assertion below.
beforeAll(() => {
  const app = testApp();
  const stack = new LdamRunnerStack(app, 'LdamRunnerTest', { apiEntry, datasetArns: [datasetArn] });
  findings = synthWithNag(app);
  template = Template.fromStack(stack);
}, 120_000);

function resourcesOf(type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

function only(type: string): [string, Resource] {
  const found = resourcesOf(type);
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
}

/** The one secret whose description starts with `prefix` (the stack has the keys and the gateway token). */
function secretNamed(prefix: string): [string, Resource] {
  const found = resourcesOf('AWS::SecretsManager::Secret').filter(([, r]) =>
    String(r.Properties.Description).startsWith(prefix),
  );
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
}

function statementsOfRole(roleLogicalIdPrefix: string): Statement[] {
  return resourcesOf('AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function actions(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

describe('the trainer job definition', () => {
  it('asks for one GPU and runs `train --job Ref::jobId`', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      Type: 'container',
      PlatformCapabilities: ['EC2'],
      ContainerProperties: Match.objectLike({
        Command: ['train', '--job', `Ref::${batchJobIdParameter}`],
        ResourceRequirements: Match.arrayWith([{ Type: 'GPU', Value: '1' }]),
      }),
    });
  });

  it('retries a spot reclaim and exits on anything else, in that order', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      RetryStrategy: {
        Attempts: 3,
        EvaluateOnExit: [
          { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
          { Action: 'EXIT', OnStatusReason: '*' },
        ],
      },
      Timeout: { AttemptDurationSeconds: 12 * 3600 },
    });
  });

  it("keeps the CUDA driver's JIT cache on the instance, at its largest size, across jobs", () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({
        Volumes: [{ Name: 'cuda-cache', Host: { SourcePath: '/var/cache/ldam-cuda' } }],
        MountPoints: [{ SourceVolume: 'cuda-cache', ContainerPath: '/var/cache/cuda' }],
        Environment: Match.arrayWith([
          { Name: 'CUDA_CACHE_PATH', Value: '/var/cache/cuda' },
          { Name: 'CUDA_CACHE_MAXSIZE', Value: String(4 * 1024 ** 3) },
        ]),
      }),
    });
    // The directory exists before the first job, owned by the image's non-root trainer user.
    const [, launchTemplate] = only('AWS::EC2::LaunchTemplate');
    const userData = JSON.stringify(launchTemplate.Properties.LaunchTemplateData);
    expect(userData).toContain(`install -d -m 0700 -o ${trainerUid} -g ${trainerUid} /var/cache/ldam-cuda`);
    expect(userData).toContain('multipart/mixed');
  });

  it('sets only TrainerEnv names (and the CUDA cache), with the GPU backend and the artifact bucket', () => {
    const [, definition] = only('AWS::Batch::JobDefinition');
    const environment = (
      definition.Properties.ContainerProperties as { Environment: { Name: string; Value: unknown }[] }
    ).Environment;
    const known = new Set<string>([...Object.values(TrainerEnv), 'CUDA_CACHE_PATH', 'CUDA_CACHE_MAXSIZE']);
    expect(environment.map((entry) => entry.Name).filter((name) => !known.has(name))).toEqual([]);
    const byName = Object.fromEntries(environment.map((entry) => [entry.Name, entry.Value]));
    expect(byName[TrainerEnv.backend]).toBe('tensorflow-gpu');
    expect(byName[TrainerEnv.dataRoots]).toBe('s3://shared-datasets/cifar-lt/');
    const [bucketId] = only('AWS::S3::Bucket');
    expect(byName[TrainerEnv.s3Bucket]).toEqual({ Ref: bucketId });
  });

  it("runs the image from the stack's repository at the TrainerImageTag parameter", () => {
    template.hasParameter('TrainerImageTag', { Type: 'String', Default: 'latest' });
    const [, definition] = only('AWS::Batch::JobDefinition');
    const image = JSON.stringify((definition.Properties.ContainerProperties as { Image: unknown }).Image);
    const [repositoryId] = only('AWS::ECR::Repository');
    expect(image).toContain(repositoryId);
    expect(image).toContain('"Ref":"TrainerImageTag"');
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: Match.absent() });
  });
});

describe('the GPU compute environments and the queue', () => {
  it('tries spot first, on-demand second', () => {
    const [, queue] = only('AWS::Batch::JobQueue');
    const order = queue.Properties.ComputeEnvironmentOrder as {
      ComputeEnvironment: { 'Fn::GetAtt': [string] };
      Order: number;
    }[];
    const typeOf = (logicalId: string) =>
      ((template.toJSON().Resources[logicalId] as Resource).Properties.ComputeResources as { Type: string })
        .Type;
    const sorted = [...order].sort((a, b) => a.Order - b.Order);
    expect(sorted.map((entry) => typeOf(entry.ComputeEnvironment['Fn::GetAtt'][0]))).toEqual(['SPOT', 'EC2']);
  });

  it('cancels jobs stuck RUNNABLE for lack of capacity after an hour', () => {
    template.hasResourceProperties('AWS::Batch::JobQueue', {
      JobStateTimeLimitActions: Match.arrayWith([
        {
          Action: 'CANCEL',
          State: 'RUNNABLE',
          Reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
          MaxTimeSeconds: 3600,
        },
      ]),
    });
  });

  it('scales to zero on the ECS GPU AMI with known GPU instance types', () => {
    const environments = resourcesOf('AWS::Batch::ComputeEnvironment');
    expect(environments).toHaveLength(2);
    for (const [, environment] of environments) {
      const resources = environment.Properties.ComputeResources as {
        MinvCpus: number;
        InstanceTypes: string[];
        Ec2Configuration: { ImageType: string }[];
      };
      expect(resources.MinvCpus).toBe(0);
      expect(resources.Ec2Configuration[0]?.ImageType).toMatch(/NVIDIA/);
      for (const type of resources.InstanceTypes) {
        expect(type).toMatch(/^g(4dn|5)\./);
        expect(gpuInstances[type]?.gpus).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

describe('the artifact bucket', () => {
  it('blocks public access, encrypts and keeps versions', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('expires overwritten checkpoints and aborts abandoned multipart uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'runs/',
            NoncurrentVersionExpiration: { NoncurrentDays: 3 },
            Status: 'Enabled',
          }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('denies every request not made over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('IAM', () => {
  it('lets the API submit only to its queue with its job definition', () => {
    const [queueId] = only('AWS::Batch::JobQueue');
    const [definitionId] = only('AWS::Batch::JobDefinition');
    const submit = statementsOfRole('ApiRole').filter((statement) =>
      actions(statement).includes('batch:SubmitJob'),
    );
    expect(submit).toHaveLength(1);
    expect(submit[0]?.Resource).toEqual([{ 'Fn::GetAtt': [queueId, 'JobQueueArn'] }, { Ref: definitionId }]);
  });

  it("leaves DescribeJobs/ListJobs unscoped, with the reason in the sid, and nothing else on '*'", () => {
    const unscoped = statementsOfRole('ApiRole').filter((statement) => statement.Resource === '*');
    expect(unscoped).toHaveLength(1);
    expect(actions(unscoped[0] as Statement).sort()).toEqual(['batch:DescribeJobs', 'batch:ListJobs']);
    expect(unscoped[0]?.Sid).toMatch(/NoResourceLevelPermissions/);
  });

  it('scopes TerminateJob and TagResource (tags on submit) to job ARNs of this account and region', () => {
    const terminate = statementsOfRole('ApiRole').filter((statement) =>
      actions(statement).includes('batch:TerminateJob'),
    );
    expect(terminate).toHaveLength(1);
    expect(actions(terminate[0] as Statement).sort()).toEqual(['batch:TagResource', 'batch:TerminateJob']);
    expect(JSON.stringify(terminate[0]?.Resource)).toMatch(/:batch:.*AWS::Region.*AWS::AccountId.*:job\/\*/);
  });

  it('gives the API and the trainer S3 access to the artifact bucket only, with no wildcard actions', () => {
    const [bucketId] = only('AWS::S3::Bucket');
    for (const role of ['ApiRole', 'TrainerJobRole']) {
      const s3 = statementsOfRole(role).filter((statement) =>
        actions(statement).some((a) => a.startsWith('s3:')),
      );
      expect(s3.length).toBeGreaterThan(0);
      for (const statement of s3) {
        expect(actions(statement).every((action) => !action.includes('*'))).toBe(true);
        const resource = JSON.stringify(statement.Resource);
        expect(resource.includes(bucketId) || resource.includes('shared-datasets')).toBe(true);
      }
    }
  });

  it('lets the trainer write under runs/ only and read the dataset location read-only', () => {
    const statements = statementsOfRole('TrainerJobRole');
    const writes = statements.filter((statement) => actions(statement).includes('s3:PutObject'));
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(writes[0]?.Resource)).toMatch(/\/runs\/\*"/);
    const dataset = statements.filter((statement) =>
      JSON.stringify(statement.Resource).includes('shared-datasets'),
    );
    expect(dataset.flatMap(actions).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(dataset.find((statement) => actions(statement).includes('s3:ListBucket'))?.Condition).toEqual({
      StringLike: { 's3:prefix': ['cifar-lt', 'cifar-lt/*'] },
    });
  });
});

describe('the API', () => {
  it('streams through a RESPONSE_STREAM Function URL on the streaming handler', () => {
    const [, url] = only('AWS::Lambda::Url');
    expect(url.Properties.InvokeMode).toBe('RESPONSE_STREAM');
    const target = (url.Properties.TargetFunctionArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const fn = template.toJSON().Resources[target] as Resource;
    expect(fn.Properties.Handler).toBe('index.handler');
  });

  it('runs on Node 22, configured for the aws-batch runner with this queue and job definition', () => {
    const [queueId] = only('AWS::Batch::JobQueue');
    const [definitionId] = only('AWS::Batch::JobDefinition');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Environment: {
        Variables: Match.objectLike({
          [ApiEnv.runner]: 'aws-batch',
          [ApiEnv.batchJobQueue]: { 'Fn::GetAtt': [queueId, 'JobQueueArn'] },
          [ApiEnv.batchJobDefinition]: { Ref: definitionId },
          // One timeout: the runner submits min(spec timeoutMinutes, this).
          [ApiEnv.batchAttemptTimeoutMinutes]: '720',
          [ApiEnv.apiKeysSecret]: Match.anyValue(),
          [TrainerEnv.s3Bucket]: Match.anyValue(),
        }),
      },
    });
  });

  it('proxies the HTTP API to the Function URL with the request path, logging and throttling the stage', () => {
    const [urlId] = only('AWS::Lambda::Url');
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] },
      RequestParameters: Match.objectLike({ 'overwrite:path': '$request.path' }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 20 }),
    });
  });

  it('names the key secret for the Lambda to read at run time, with no key or dynamic reference in its environment', () => {
    const [secretId] = secretNamed('ldam-runner API keys');
    const [, fn] = resourcesOf('AWS::Lambda::Function')[0] as [string, Resource];
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables[ApiEnv.apiKeysSecret]).toEqual({ Ref: secretId });
    expect(variables[ApiEnv.apiKeys]).toBeUndefined();
    expect(JSON.stringify(variables)).not.toContain('{{resolve:secretsmanager:');
  });

  it("grants the API's role read access to the key secret and the gateway token only", () => {
    const [keysId] = secretNamed('ldam-runner API keys');
    const [tokenId] = secretNamed('ldam-runner: token the HTTP API');
    const reads = statementsOfRole('ApiRole').filter((s) =>
      actions(s).includes('secretsmanager:GetSecretValue'),
    );
    expect(reads.map((s) => s.Resource)).toEqual(expect.arrayContaining([{ Ref: keysId }, { Ref: tokenId }]));
    expect(reads).toHaveLength(2);
    const trainerReads = statementsOfRole('TrainerJobRole').filter((s) =>
      actions(s).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(trainerReads).toEqual([]);
  });
});

describe('the Function URL (unthrottled: event streams only)', () => {
  const integration = () => {
    const [, found] = only('AWS::ApiGatewayV2::Integration');
    return found.Properties.RequestParameters as Record<string, unknown>;
  };

  it("has the gateway overwrite the token header with the token secret's dynamic reference", () => {
    const [tokenId] = secretNamed('ldam-runner: token the HTTP API');
    const token = JSON.stringify(integration()[`overwrite:header.${gatewayHeaders.token}`]);
    expect(token).toContain('{{resolve:secretsmanager:');
    expect(token).toContain(tokenId);
    const [urlId] = only('AWS::Lambda::Url');
    expect(integration()[`overwrite:header.${gatewayHeaders.streamUrl}`]).toEqual({
      'Fn::GetAtt': [urlId, 'FunctionUrl'],
    });
  });

  it('tells the Lambda which secret holds the token, never the token itself', () => {
    const [tokenId] = secretNamed('ldam-runner: token the HTTP API');
    for (const [, fn] of resourcesOf('AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      if (variables?.[ApiEnv.runner] !== 'aws-batch') continue;
      expect(variables[ApiEnv.gatewayTokenSecret]).toEqual({ Ref: tokenId });
    }
  });

  it('allows cross-origin GETs (the dashboard streams from it) and nothing else', () => {
    const [, url] = only('AWS::Lambda::Url');
    expect(url.Properties.Cors).toEqual(
      expect.objectContaining({
        AllowOrigins: ['*'],
        AllowMethods: ['GET'],
        AllowHeaders: expect.arrayContaining(['authorization', 'last-event-id']),
      }),
    );
    expect((url.Properties.Cors as Record<string, unknown>).AllowCredentials).toBeUndefined();
  });
});

it('gives every log group a retention', () => {
  const groups = resourcesOf('AWS::Logs::LogGroup');
  expect(groups.length).toBeGreaterThanOrEqual(4);
  for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(30);
});

it('outputs the API URL, stream URL, bucket, queue and job definition', () => {
  for (const name of ['ApiUrl', 'StreamUrl', 'BucketName', 'JobQueueArn', 'JobDefinitionArn']) {
    template.hasOutput(name, Match.anyValue());
  }
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no finding on the stack (every acknowledgment carries a reason)', () => {
    expect(findings).toEqual([]);
  });

  it('does report an unacknowledged problem, so the check above can fail', () => {
    const app = testApp();
    const stack = new Stack(app, 'Bare');
    new Bucket(stack, 'NoTlsNoLogs');
    const rules = synthWithNag(app).map((finding) => finding.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});

describe('settings are checked before anything is built', () => {
  it('refuses a RUNNABLE timeout Batch does not accept', () => {
    expect(() => new LdamRunnerStack(testApp(), 'Bad', { apiEntry, runnableTimeoutMinutes: 5 })).toThrow(
      /runnableTimeoutMinutes/,
    );
  });

  it('refuses a job no instance type can hold, and a non-S3 dataset location', () => {
    expect(
      () =>
        new LdamRunnerStack(testApp(), 'Bad', {
          apiEntry,
          jobResources: { vcpus: 4, memoryMiB: 15_800, gpus: 1 },
          gpuInstanceTypes: ['g4dn.xlarge'],
          datasetArns: ['s3://not-an-arn'],
        }),
    ).toThrow(/no instance type fits[\s\S]*not an S3 ARN|not an S3 ARN[\s\S]*no instance type fits/);
  });
});

describe('the job reconciler (the Lambda side has no timer)', () => {
  const reconciler = (): [string, Resource] => {
    const found = resourcesOf('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties.Handler === 'index.reconcileHandler',
    );
    expect(found).toHaveLength(1);
    return found[0] as [string, Resource];
  };

  it("runs the API's bundle with the API's environment, reconciling on Batch state changes of the trainer queue", () => {
    const [reconcilerId, fn] = reconciler();
    const [queueId] = only('AWS::Batch::JobQueue');
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables[ApiEnv.batchJobQueue]).toEqual({ 'Fn::GetAtt': [queueId, 'JobQueueArn'] });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        detail: { jobQueue: [{ 'Fn::GetAtt': [queueId, 'JobQueueArn'] }] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [reconcilerId, 'Arn'] } })],
    });
  });

  it('also reconciles every unfinished job on a schedule, for timeouts Batch never reports', () => {
    const [reconcilerId] = reconciler();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [reconcilerId, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [reconcilerId, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });
});
