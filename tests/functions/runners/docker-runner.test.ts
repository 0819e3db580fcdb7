import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDockerClient, dockerEndpoint } from '../../../functions/runners/docker-client.ts';
import { DockerRunner } from '../../../functions/runners/docker-runner.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { tinySpec } from '../support.ts';
import { fakeDockerEngine } from './fake-docker-engine.ts';
import { taskRunnerContract } from './task-runner-contract.ts';

interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

// A mocked Docker engine: a real HTTP server on a unix socket answering from a script of replies.
async function mockEngine(reply: (r: Recorded) => { status: number; body?: unknown }) {
  const dir = await mkdtemp(join(tmpdir(), 'ldam-docker-'));
  const socketPath = join(dir, 'docker.sock');
  const requests: Recorded[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text === '' ? undefined : JSON.parse(text);
  };
  const server: Server = createServer(async (req, res) => {
    const recorded = { method: req.method ?? '', path: req.url ?? '', body: await read(req) };
    requests.push(recorded);
    const { status, body } = reply(recorded);
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    requests,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const spec = parseExperimentSpec(tinySpec({ resources: { gpus: 1, cpus: 3, memoryGiB: 5 } }));
let engine: Awaited<ReturnType<typeof mockEngine>> | undefined;
afterEach(async () => engine?.close());

describe('DockerRunner (mocked Docker engine on a unix socket)', () => {
  it('removes the old container, creates one with the GPUs, the train command and the store env, then starts it', async () => {
    engine = await mockEngine((r) =>
      r.path.includes('/create') ? { status: 201, body: { Id: 'c1' } } : { status: 204 },
    );
    const runner = new DockerRunner({
      client: createDockerClient({ socketPath: engine.socketPath }),
      env: { S3_BUCKET: 'ldam-runner', S3_ENDPOINT: 'http://minio:9000' },
    });
    await runner.start({ jobId: 'j-abc', attempt: 2, spec });
    expect(engine.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'DELETE /v1.43/containers/ldam-j-abc?force=true',
      'POST /v1.43/containers/create?name=ldam-j-abc',
      'POST /v1.43/containers/ldam-j-abc/start',
    ]);
    expect(engine.requests[1]?.body).toEqual({
      Image: 'ldam-runner-gpu',
      Cmd: ['train', '--job', 'j-abc'],
      Env: ['S3_BUCKET=ldam-runner', 'S3_ENDPOINT=http://minio:9000'],
      Labels: { 'ldam.job': 'j-abc', 'ldam.attempt': '2' },
      StopSignal: 'SIGTERM',
      HostConfig: {
        DeviceRequests: [{ Driver: 'nvidia', Count: 1, Capabilities: [['gpu']] }],
        NanoCpus: 3e9,
        Memory: 5 * 1024 ** 3,
      },
    });
  });

  it.each([
    { state: { Status: 'created' }, expected: { state: 'starting' } },
    { state: { Status: 'running' }, expected: { state: 'running' } },
    { state: { Status: 'exited', ExitCode: 4 }, expected: { state: 'exited', code: 4, signal: null } },
    { state: { Status: 'exited', ExitCode: 75 }, expected: { state: 'exited', code: 75, signal: null } },
    {
      state: { Status: 'exited', ExitCode: 137 },
      expected: { state: 'exited', code: null, signal: 'SIGKILL' },
    },
    {
      state: { Status: 'exited', ExitCode: 1, OOMKilled: true },
      expected: { state: 'exited', code: null, signal: 'SIGKILL' },
    },
  ])('maps container state $state to $expected', async ({ state, expected }) => {
    engine = await mockEngine(() => ({
      status: 200,
      body: { State: state, Config: { Labels: { 'ldam.attempt': '1' } } },
    }));
    const runner = new DockerRunner({
      client: createDockerClient({ socketPath: engine.socketPath }),
      env: {},
    });
    expect(await runner.status({ jobId: 'j-abc', attempt: 1 })).toEqual(expected);
  });

  it("reports unknown for a missing container or another attempt's", async () => {
    engine = await mockEngine((r) =>
      r.path.includes('j-gone')
        ? { status: 404, body: { message: 'No such container' } }
        : {
            status: 200,
            body: { State: { Status: 'running' }, Config: { Labels: { 'ldam.attempt': '1' } } },
          },
    );
    const runner = new DockerRunner({
      client: createDockerClient({ socketPath: engine.socketPath }),
      env: {},
    });
    expect(await runner.status({ jobId: 'j-gone', attempt: 1 })).toEqual({ state: 'unknown' });
    expect(await runner.status({ jobId: 'j-abc', attempt: 2 })).toEqual({ state: 'unknown' });
  });

  it('cancels with SIGINT and a kill deadline, and surfaces engine errors', async () => {
    engine = await mockEngine((r) =>
      r.path.includes('/start')
        ? { status: 500, body: { message: 'no GPU driver' } }
        : r.path.includes('/create')
          ? { status: 201, body: { Id: 'c1' } }
          : { status: 204 },
    );
    const runner = new DockerRunner({
      client: createDockerClient({ socketPath: engine.socketPath }),
      env: {},
      graceSeconds: 7,
    });
    await runner.cancel({ jobId: 'j-abc', attempt: 1 });
    expect(engine.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v1.43/containers/ldam-j-abc/stop?signal=SIGINT&t=7',
    });
    await expect(runner.start({ jobId: 'j-abc', attempt: 1, spec })).rejects.toThrow(
      /HTTP 500: no GPU driver/,
    );
  });

  it('reads DOCKER_HOST', () => {
    expect(dockerEndpoint(undefined)).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerEndpoint('unix:///run/user/1000/docker.sock')).toEqual({
      socketPath: '/run/user/1000/docker.sock',
    });
    expect(dockerEndpoint('tcp://10.0.0.5:2376')).toEqual({ host: '10.0.0.5', port: 2376 });
  });
});

// A real engine runs a container here only where one exists (and has pulled the trainer image).
const socket = dockerEndpoint(process.env.DOCKER_HOST);
const engineReachable = 'socketPath' in socket ? existsSync(socket.socketPath) : true;
if (!engineReachable)
  console.log(`Docker engine test skipped: no Docker engine socket at ${JSON.stringify(socket)}`);
describe.skipIf(!engineReachable)('DockerRunner against the real Docker engine', () => {
  it('answers a status query for a container that does not exist', async () => {
    const runner = new DockerRunner({ client: createDockerClient(socket), env: {} });
    expect(await runner.status({ jobId: 'j-does-not-exist-0', attempt: 1 })).toEqual({ state: 'unknown' });
  });
});

// Job ids carry their behaviour: j-exit-<code>-<n> exits with <code>, j-sleep-<n> runs until stopped.
const exitCodeOfJob = (jobId: string): number | undefined =>
  jobId.startsWith('j-exit-') ? Number(jobId.split('-')[2]) : undefined;

taskRunnerContract('Docker containers (mocked Docker engine with container state)', async () => {
  const fake = await fakeDockerEngine(exitCodeOfJob);
  let n = 0;
  return {
    runner: new DockerRunner({ client: createDockerClient({ socketPath: fake.socketPath }), env: {} }),
    jobFor: (b) => (b === 'sleep' ? `j-sleep-${n++}` : `j-exit-${b.exit}-${n++}`),
    ready: async () => undefined,
    close: fake.close,
  };
});
