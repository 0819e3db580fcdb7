// A job's events: Server-Sent Events as they land, or one JSON page after a position (`?after=`).
// SSE ids are the encoded log position after each event, so Last-Event-ID resumes exactly.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { encodePosition, readEvents } from '../../trainer/events/log.ts';
import type { LogPosition } from '../../trainer/events/types.ts';
import { type Store, StoreNotFoundError } from '../../trainer/store/store.ts';
import type { AppEnv } from '../http/app-env.ts';
import { eventsQuerySchema } from '../http/schemas.ts';
import type { JobService } from '../jobs/service.ts';
import type { Supervisor } from '../jobs/supervisor.ts';
import { parseQuery } from './query.ts';

export interface EventRouteDeps {
  readonly service: JobService;
  readonly supervisor: Supervisor;
  readonly store: Store;
  readonly pollMs: number;
  readonly heartbeatMs: number;
}

const wantsStream = (accept: string | undefined): boolean => (accept ?? '').includes('text/event-stream');

/** The state and the events after `position`, or undefined once the job is gone. */
async function readWhileExists(deps: EventRouteDeps, id: string, position: LogPosition) {
  try {
    const state = await deps.supervisor.reconcile(id);
    if (state.attempt === 0) return undefined;
    return { state, ...(await readEvents(deps.store, id, position)) };
  } catch (error) {
    if (error instanceof StoreNotFoundError) return undefined;
    throw error;
  }
}

export function eventRoutes(deps: EventRouteDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/:id/events', async (c) => {
    const id = c.req.param('id');
    const { after } = parseQuery(eventsQuerySchema, c.req.query());
    if (!wantsStream(c.req.header('Accept')))
      return c.json(await deps.service.events(c.get('owner'), id, after));
    // Ownership and the resume position are checked before the stream opens, so errors stay JSON.
    const resume = c.req.header('Last-Event-ID');
    let position: LogPosition = await deps.service.resumePosition(
      c.get('owner'),
      id,
      resume ?? after,
      resume === undefined ? 'after' : 'Last-Event-ID',
    );
    return streamSSE(c, async (stream) => {
      let lastWrite = Date.now();
      while (!stream.aborted) {
        // The state is read first: once it is terminal, this read holds every event up to the end.
        const read = await readWhileExists(deps, id, position);
        // Deleted meanwhile: close, and the client's reconnect gets the 404.
        if (read === undefined) return;
        const { state } = read;
        for (const event of read.events) {
          position = { ...position, [event.writer]: event.seq };
          await stream.writeSSE({
            id: encodePosition(position),
            event: event.kind,
            data: JSON.stringify(event),
          });
          lastWrite = Date.now();
        }
        if (state.terminal) {
          await stream.writeSSE({
            event: 'end',
            data: JSON.stringify({ status: state.status, attempt: state.attempt }),
          });
          return;
        }
        if (Date.now() - lastWrite >= deps.heartbeatMs) {
          await stream.write(': heartbeat\n\n');
          lastWrite = Date.now();
        }
        await stream.sleep(deps.pollMs);
      }
    });
  });

  return routes;
}
