// A minimal Docker Engine API client over node:http: a unix socket (/var/run/docker.sock, or
// DOCKER_HOST=unix://…) or tcp://host:port. Only JSON requests, which is all the runner needs.
import { request } from 'node:http';

export interface DockerResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface DockerClient {
  send(method: string, path: string, body?: unknown): Promise<DockerResponse>;
}

/** The API version every path is prefixed with (Docker 24+ speaks it; DeviceRequests need ≥1.40). */
export const dockerApiVersion = 'v1.43';

export type DockerEndpoint =
  | { readonly socketPath: string }
  | { readonly host: string; readonly port: number };

/** Where DOCKER_HOST points, defaulting to the local engine's socket. */
export function dockerEndpoint(dockerHost: string | undefined): DockerEndpoint {
  if (dockerHost === undefined || dockerHost === '') return { socketPath: '/var/run/docker.sock' };
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

export function createDockerClient(endpoint: DockerEndpoint, timeoutMs = 30_000): DockerClient {
  return {
    send(method, path, body) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = request(
          {
            ...endpoint,
            method,
            path: `/${dockerApiVersion}${path}`,
            timeout: timeoutMs,
            headers:
              payload === undefined
                ? {}
                : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = text;
              try {
                parsed = text === '' ? undefined : JSON.parse(text);
              } catch {
                // Some endpoints answer plain text; keep it as is.
              }
              resolve({ status: res.statusCode ?? 0, body: parsed });
            });
          },
        );
        req.on('timeout', () =>
          req.destroy(new Error(`Docker engine did not answer ${method} ${path} in ${timeoutMs} ms`)),
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}

export class DockerApiError extends Error {
  readonly status: number;
  constructor(what: string, response: DockerResponse) {
    const message = (response.body as { message?: unknown } | undefined)?.message;
    super(
      `Docker engine refused to ${what}: HTTP ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`,
    );
    this.name = 'DockerApiError';
    this.status = response.status;
  }
}
