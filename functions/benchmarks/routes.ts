import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { NotFound, PayloadTooLarge, ValidationFailed } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import { parseQuery } from '../routes/query.ts';
import type { BenchmarkDriver } from './driver.ts';
import { BenchmarkNotFoundError, BenchmarkValidationError } from './errors.ts';
import { renderCsv } from './render/csv.ts';
import { renderMarkdown } from './render/markdown.ts';
import { renderSvg } from './render/svg.ts';
import type { BenchmarkService } from './service.ts';

// HTTP routes of benchmarks, mounted by the API app at /v1/benchmarks behind its auth middleware
// (which sets `owner`). Domain errors become the API's typed errors here; the app's onError turns
// those into responses.

export interface BenchmarkRoutesDeps {
  readonly service: BenchmarkService;
  /** Largest accepted request body (the API's config.bodyLimitBytes). */
  readonly bodyLimitBytes: number;
  /** Present in long-lived servers: advances created benchmarks in the background. */
  readonly driver?: BenchmarkDriver;
}

export const resultFormats = ['json', 'csv', 'md', 'svg'] as const;
type ResultFormat = (typeof resultFormats)[number];
export const resultsQuerySchema = z.strictObject({ format: z.enum(resultFormats).default('json') });

const contentTypes: Record<Exclude<ResultFormat, 'json'>, string> = {
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  svg: 'image/svg+xml',
};

function toApiError(error: unknown): unknown {
  if (error instanceof BenchmarkValidationError) return new ValidationFailed(error.issues);
  if (error instanceof BenchmarkNotFoundError) return new NotFound(error.message);
  return error;
}

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toApiError(error);
  }
}

export function createBenchmarkRoutes(deps: BenchmarkRoutesDeps): Hono<AppEnv> {
  const { service } = deps;
  const app = new Hono<AppEnv>();

  /** The benchmark, if the caller owns it; another owner's benchmark does not exist for them. */
  const authorize = async (c: Context<AppEnv>, id: string): Promise<void> => {
    const record = await service.record(id);
    if (record.owner !== undefined && record.owner !== c.get('owner')) throw new BenchmarkNotFoundError(id);
  };

  const limit = bodyLimit({
    maxSize: deps.bodyLimitBytes,
    onError: () => {
      throw new PayloadTooLarge(deps.bodyLimitBytes);
    },
  });

  app.post('/', limit, (c) =>
    mapped(async () => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch (error) {
        throw new BenchmarkValidationError([
          { path: '', rule: `malformed JSON: ${(error as Error).message}` },
        ]);
      }
      const view = await service.create(body, c.get('owner'));
      deps.driver?.watch(view.id);
      c.header('Location', `${c.req.path.replace(/\/$/, '')}/${view.id}`);
      return c.json(view, 201);
    }),
  );

  app.get('/:id', (c) =>
    mapped(async () => {
      const id = c.req.param('id');
      await authorize(c, id);
      return c.json(await service.status(id));
    }),
  );

  app.get('/:id/results', (c) =>
    mapped(async () => {
      const id = c.req.param('id');
      const { format } = parseQuery(resultsQuerySchema, c.req.query());
      await authorize(c, id);
      const results = await service.results(id);
      if (format === 'json') return c.json(results);
      const render = { csv: renderCsv, md: renderMarkdown, svg: renderSvg }[format];
      return c.body(render(results), 200, { 'Content-Type': contentTypes[format] });
    }),
  );

  app.post('/:id/cancel', (c) =>
    mapped(async () => {
      const id = c.req.param('id');
      await authorize(c, id);
      return c.json(await service.cancel(id));
    }),
  );

  return app;
}
