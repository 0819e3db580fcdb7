// Docker runner: each job is a container of the trainer image with the host's GPUs, named after
// the job so any server instance (or a restarted one) finds it again.
import { trainArgs, trainerImageName } from '../../trainer/process/contract.ts';
import { DockerApiError, type DockerClient } from './docker-client.ts';
import type { StartedTask, TaskRef, TaskRequest, TaskRunner, TaskStatus } from './task-runner.ts';

export interface DockerRunnerOptions {
  readonly client: DockerClient;
  /** Default: the trainer image (trainerImageName). */
  readonly image?: string;
  /** Environment of the containers (the store's S3_* variables among it). */
  readonly env: Readonly<Record<string, string>>;
  /** Seconds between SIGINT and SIGKILL on cancel (default 10). */
  readonly graceSeconds?: number;
  /** Docker network to attach containers to (e.g. one where the S3 endpoint resolves). */
  readonly network?: string;
}

export const containerName = (jobId: string): string => `ldam-${jobId}`;

interface ContainerInspect {
  readonly State?: { readonly Status?: string; readonly ExitCode?: number; readonly OOMKilled?: boolean };
  readonly Config?: { readonly Labels?: Record<string, string> };
}

export class DockerRunner implements TaskRunner {
  readonly kind = 'docker';
  readonly device = 'gpu';
  readonly #options: DockerRunnerOptions;

  constructor(options: DockerRunnerOptions) {
    this.#options = options;
  }

  /** The create-container body; exported through the runner so tests can read the exact request. */
  containerConfig(task: TaskRequest): Record<string, unknown> {
    const gpus = task.spec.resources.gpus;
    return {
      Image: this.#options.image ?? trainerImageName,
      Cmd: trainArgs(task.jobId),
      Env: Object.entries(this.#options.env).map(([name, value]) => `${name}=${value}`),
      Labels: { 'ldam.job': task.jobId, 'ldam.attempt': String(task.attempt) },
      StopSignal: 'SIGTERM',
      HostConfig: {
        // Exactly the spec's gpus (Count -1 would hand the container every GPU of the host).
        DeviceRequests: gpus === 0 ? [] : [{ Driver: 'nvidia', Count: gpus, Capabilities: [['gpu']] }],
        NanoCpus: task.spec.resources.cpus * 1e9,
        Memory: task.spec.resources.memoryGiB * 1024 ** 3,
        ...(this.#options.network === undefined ? {} : { NetworkMode: this.#options.network }),
      },
    };
  }

  async start(task: TaskRequest): Promise<StartedTask> {
    const { client } = this.#options;
    const name = containerName(task.jobId);
    // A previous attempt's container keeps the name; remove it (its logs are already shipped).
    const removed = await client.send('DELETE', `/containers/${name}?force=true`);
    if (removed.status !== 204 && removed.status !== 404) throw new DockerApiError(`remove ${name}`, removed);
    const created = await client.send('POST', `/containers/create?name=${name}`, this.containerConfig(task));
    if (created.status !== 201) throw new DockerApiError(`create ${name}`, created);
    const started = await client.send('POST', `/containers/${name}/start`);
    if (started.status !== 204 && started.status !== 304) throw new DockerApiError(`start ${name}`, started);
    return {};
  }

  async status(ref: TaskRef): Promise<TaskStatus> {
    const response = await this.#options.client.send('GET', `/containers/${containerName(ref.jobId)}/json`);
    if (response.status === 404) return { state: 'unknown' };
    if (response.status !== 200) throw new DockerApiError(`inspect ${containerName(ref.jobId)}`, response);
    const inspect = response.body as ContainerInspect;
    if (inspect.Config?.Labels?.['ldam.attempt'] !== String(ref.attempt)) return { state: 'unknown' };
    const state = inspect.State?.Status;
    if (state === 'created') return { state: 'starting' };
    if (state === 'running' || state === 'restarting' || state === 'paused') return { state: 'running' };
    const code = inspect.State?.ExitCode ?? null;
    // Docker reports a signal death as 128 + signal number; 137 = SIGKILL (also the OOM killer's).
    if (inspect.State?.OOMKilled === true || code === 137)
      return { state: 'exited', code: null, signal: 'SIGKILL' };
    return { state: 'exited', code, signal: null };
  }

  async cancel(ref: TaskRef): Promise<void> {
    const name = containerName(ref.jobId);
    const grace = this.#options.graceSeconds ?? 10;
    // stop with signal=SIGINT: the trainer exits 130 without a checkpoint; the engine kills after t s.
    const stopped = await this.#options.client.send(
      'POST',
      `/containers/${name}/stop?signal=SIGINT&t=${grace}`,
    );
    if (![204, 304, 404].includes(stopped.status)) throw new DockerApiError(`stop ${name}`, stopped);
  }

  async close(): Promise<void> {}
}
