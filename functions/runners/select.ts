// Builds the runner LDAM_RUNNER names. Called by the composition roots only; SDK clients and
// sockets are created here, on demand, never at module load.
import { BatchClient } from '@aws-sdk/client-batch';
import { LogShipper } from '../../trainer/logs/index.ts';
import { ApiEnv, TrainerEnv } from '../../trainer/process/contract.ts';
import { defaultGraceSeconds } from '../../trainer/process/exit-codes.ts';
import type { Store } from '../../trainer/store/store.ts';
import type { RunnerKind } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { AwsBatchRunner } from './aws-batch-runner.ts';
import { createDockerClient, dockerEndpoint } from './docker-client.ts';
import { DockerRunner } from './docker-runner.ts';
import { LocalRunner } from './local-runner.ts';
import type { TaskRunner } from './task-runner.ts';

export interface RunnerDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly store: Store;
  /** Store settings the trainer needs (S3_* of the embedded server, or the configured ones). */
  readonly trainerEnv: Readonly<Record<string, string>>;
  /** Program and leading arguments of the local trainer, e.g. [node, bin/ldam.mjs]. */
  readonly localCommand: readonly string[];
  readonly cwd: string;
}

function required(env: RunnerDeps['env'], name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is required for this runner`);
  return value;
}

function optionalPositiveInt(env: RunnerDeps['env'], name: string): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be a positive integer (minutes), got '${text}'`);
  return value;
}

/** The S3_* settings of the environment, for trainers that run elsewhere (containers). */
function s3SettingsOf(env: RunnerDeps['env']): Record<string, string> {
  const names = Object.values(TrainerEnv).filter((name) => name.startsWith('S3_'));
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name] as string]] : [])));
}

export function createRunner(kind: RunnerKind, deps: RunnerDeps): TaskRunner {
  const { env } = deps;
  switch (kind) {
    case 'local':
      return new LocalRunner({
        command: deps.localCommand,
        cwd: deps.cwd,
        env: { ...env, ...deps.trainerEnv },
        maxConcurrent: Number(env[ApiEnv.maxConcurrentJobs] ?? 1) || 1,
        // The trainer's own SIGTERM grace plus a margin, before SIGKILL.
        graceMs: (defaultGraceSeconds + 5) * 1000,
        logSink: (ref) => LogShipper.open(deps.store, ref.jobId, { intervalMs: 1000 }),
      });
    case 'docker': {
      const image = env[ApiEnv.dockerImage];
      return new DockerRunner({
        client: createDockerClient(dockerEndpoint(env.DOCKER_HOST)),
        ...(image ? { image } : {}),
        env: { ...s3SettingsOf(env), ...deps.trainerEnv },
      });
    }
    case 'aws-batch': {
      const attemptTimeoutMinutes = optionalPositiveInt(env, ApiEnv.batchAttemptTimeoutMinutes);
      return new AwsBatchRunner({
        client: new BatchClient({}),
        jobQueue: required(env, ApiEnv.batchJobQueue),
        jobDefinition: required(env, ApiEnv.batchJobDefinition),
        env: deps.trainerEnv,
        ...(attemptTimeoutMinutes === undefined ? {} : { attemptTimeoutMinutes }),
      });
    }
  }
}
