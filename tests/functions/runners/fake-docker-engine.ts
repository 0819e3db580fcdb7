// A mocked Docker engine with container state: a real HTTP server on a unix socket that creates,
// starts, inspects, stops and removes containers as the engine does. Each container's trainer
// exits at once with the code `exitCodeOf(jobId)` gives, or runs until stopped (undefined).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Container {
  status: 'created' | 'running' | 'exited';
  exitCode: number;
  labels: Record<string, string>;
  jobId: string;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

export async function fakeDockerEngine(exitCodeOf: (jobId: string) => number | undefined) {
  const dir = await mkdtemp(join(tmpdir(), 'ldam-fake-docker-'));
  const socketPath = join(dir, 'docker.sock');
  const containers = new Map<string, Container>();
  const route = (method: string, url: URL, body: unknown): { status: number; body?: unknown } => {
    const [, , resource, name, action] = url.pathname.split('/');
    if (resource !== 'containers') return { status: 404 };
    if (method === 'POST' && name === 'create') {
      const config = body as { Cmd: string[]; Labels: Record<string, string> };
      const id = url.searchParams.get('name') ?? '';
      containers.set(id, {
        status: 'created',
        exitCode: 0,
        labels: config.Labels,
        jobId: config.Labels['ldam.job'] ?? '',
      });
      return { status: 201, body: { Id: id } };
    }
    const container = containers.get(name ?? '');
    if (container === undefined) return { status: 404, body: { message: `no such container: ${name}` } };
    if (method === 'DELETE') {
      containers.delete(name ?? '');
      return { status: 204 };
    }
    if (method === 'GET' && action === 'json')
      return {
        status: 200,
        body: {
          State: { Status: container.status, ExitCode: container.exitCode },
          Config: { Labels: container.labels },
        },
      };
    if (method === 'POST' && action === 'start') {
      const code = exitCodeOf(container.jobId);
      Object.assign(
        container,
        code === undefined ? { status: 'running' } : { status: 'exited', exitCode: code },
      );
      return { status: 204 };
    }
    if (method === 'POST' && action === 'stop') {
      if (container.status !== 'running') return { status: 304 };
      // The trainer's SIGINT handler exits 130 without a checkpoint.
      Object.assign(container, {
        status: 'exited',
        exitCode: url.searchParams.get('signal') === 'SIGINT' ? 130 : 143,
      });
      return { status: 204 };
    }
    return { status: 404 };
  };
  const server = createServer(async (req, res) => {
    const reply = route(req.method ?? '', new URL(req.url ?? '/', 'http://docker'), await readJson(req));
    res.writeHead(reply.status, reply.body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
