// A job's outputs: the report in four formats, its logs, and every stored object as an artifact.
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { logsQuerySchema, reportQuerySchema } from '../http/schemas.ts';
import type { Artifacts } from '../jobs/artifacts.ts';
import type { JobService } from '../jobs/service.ts';
import { parseQuery } from './query.ts';

export function outputRoutes(service: JobService, artifacts: Artifacts): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/:id/report', async (c) => {
    const { format } = parseQuery(reportQuerySchema, c.req.query());
    const { body, contentType } = await service.report(c.get('owner'), c.req.param('id'), format);
    return c.body(new Uint8Array(body), 200, { 'Content-Type': contentType });
  });

  routes.get('/:id/logs', async (c) => {
    const { stream } = parseQuery(logsQuerySchema, c.req.query());
    const text = await service.logs(c.get('owner'), c.req.param('id'), stream);
    return c.text(text, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  routes.get('/:id/artifacts', async (c) => c.json(await artifacts.list(c.get('owner'), c.req.param('id'))));

  // Streamed, never buffered: checkpoints can be large.
  routes.get('/:id/artifacts/:name', async (c) => {
    const { body, size, name } = await artifacts.download(
      c.get('owner'),
      c.req.param('id'),
      c.req.param('name'),
    );
    const file = name.split('/').at(-1) ?? 'artifact';
    return c.body(Readable.toWeb(body) as ReadableStream, 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="${file.replace(/[^\w.-]/g, '_')}"`,
    });
  });

  return routes;
}
