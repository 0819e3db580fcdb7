// A job's outputs: the report in four formats, its logs, and every stored object as an artifact.
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { logsQuerySchema, reportQuerySchema } from '../http/schemas.ts';
import type { JobService } from '../jobs/service.ts';
import { parseQuery } from './query.ts';

export function outputRoutes(service: JobService): Hono<AppEnv> {
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

  routes.get('/:id/artifacts', async (c) =>
    c.json(await service.artifacts(c.get('owner'), c.req.param('id'))),
  );

  return routes;
}
