// Serves a test API over real HTTP on an ephemeral loopback port.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

/** Anything with a fetch handler: the API app, or a Hono app standing in front of it. */
export interface Servable {
  readonly app: { readonly fetch: (request: Request) => Response | Promise<Response> };
}

export async function listen(api: Servable): Promise<Listening> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
