import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { formatContentTypes } from '../../trainer/store/run-layout.ts';
import { BodyTooLarge } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import { parseQuery } from '../routes/query.ts';
import type { BenchmarkDriver } from './driver.ts';
import { BenchmarkNotFoundError } from './errors.ts';
import { parseBenchmarkSpecJson } from './parse.ts';
import { renderCsv } from './render/csv.ts';
import { renderMarkdown } from './render/markdown.ts';
import { renderSvg } from './render/svg.ts';
import type { RecordCheck } from './scheduler.ts';
import type { BenchmarkService } from './service.ts';

// HTTP routes of benchmarks, mounted by the API app at /v1/benchmarks behind its auth middleware
// (which sets `owner`). Their domain errors reach the app's one onError unchanged.

export interface BenchmarkRoutesDeps {
  readonly service: BenchmarkService;
  /** Largest accepted request body (the API's config.bodyLimitBytes). */
  readonly bodyLimitBytes: number;
  /** Present in long-lived servers: advances created benchmarks in the background. */
  readonly driver?: BenchmarkDriver;
}

export const resultFormats = ['json', 'csv', 'md', 'svg'] as const;
export const resultsQuerySchema = z.strictObject({ format: z.enum(resultFormats).default('json') });

export function createBenchmarkRoutes(deps: BenchmarkRoutesDeps): Hono<AppEnv> {
  const { service } = deps;
  const app = new Hono<AppEnv>();

  /** The benchmark, if the caller owns it; another owner's benchmark does not exist for them. */
  const owned =
    (c: Context<AppEnv>): RecordCheck =>
    (record) => {
      if (record.owner !== undefined && record.owner !== c.get('owner'))
        throw new BenchmarkNotFoundError(record.id);
    };

  const limit = bodyLimit({
    maxSize: deps.bodyLimitBytes,
    onError: () => {
      throw new BodyTooLarge(deps.bodyLimitBytes);
    },
  });

  app.post('/', limit, async (c) => {
    const view = await service.create(parseBenchmarkSpecJson(await c.req.text()), c.get('owner'));
    deps.driver?.watch(view.id);
    c.header('Location', `${c.req.path.replace(/\/$/, '')}/${view.id}`);
    return c.json(view, 201);
  });

  app.get('/:id', async (c) => {
    return c.json(await service.status(c.req.param('id'), owned(c)));
  });

  app.get('/:id/results', async (c) => {
    const id = c.req.param('id');
    const { format } = parseQuery(resultsQuerySchema, c.req.query());
    const results = await service.results(id, owned(c));
    if (format === 'json') return c.json(results);
    const render = { csv: renderCsv, md: renderMarkdown, svg: renderSvg }[format];
    return c.body(await render(results), 200, { 'Content-Type': formatContentTypes[format] });
  });

  app.post('/:id/cancel', async (c) => {
    return c.json(await service.cancel(c.req.param('id'), owned(c)));
  });

  return app;
}
