// /v1/jobs: submit, list, read, cancel, retry, delete. The body is parsed here, once; the service
// takes the typed spec.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { parseExperimentSpecJson } from '../../trainer/spec/index.ts';
import { BodyTooLarge, InvalidInput } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import { listQuerySchema } from '../http/schemas.ts';
import { sha256Hex } from '../jobs/records.ts';
import type { JobService } from '../jobs/service.ts';
import { parseQuery } from './query.ts';

/** An empty or oversized key would make every such request one job, or bloat the store's keys. */
function checkedIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (key.trim() === '')
    throw new InvalidInput([
      { path: 'Idempotency-Key', rule: 'must not be empty (omit the header instead)' },
    ]);
  if (key.length > 255) throw new InvalidInput([{ path: 'Idempotency-Key', rule: 'at most 255 characters' }]);
  return key;
}

export function jobRoutes(service: JobService, bodyLimitBytes: number): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post(
    '/',
    bodyLimit({
      maxSize: bodyLimitBytes,
      onError: () => {
        throw new BodyTooLarge(bodyLimitBytes);
      },
    }),
    async (c) => {
      const text = await c.req.text();
      const idempotencyKey = checkedIdempotencyKey(c.req.header('Idempotency-Key'));
      const { job, replayed } = await service.submit(c.get('owner'), {
        spec: parseExperimentSpecJson(text),
        requestSha256: sha256Hex(text),
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      });
      if (replayed) c.header('Idempotent-Replayed', 'true');
      c.header('Location', job.links.self);
      return c.json(job, replayed ? 200 : 201);
    },
  );

  routes.get('/', async (c) =>
    c.json(await service.list(c.get('owner'), parseQuery(listQuerySchema, c.req.query()))),
  );

  routes.get('/:id', async (c) => c.json(await service.get(c.get('owner'), c.req.param('id'))));

  routes.post('/:id/cancel', async (c) =>
    c.json(await service.cancel(c.get('owner'), c.req.param('id')), 202),
  );

  routes.post('/:id/retry', async (c) => c.json(await service.retry(c.get('owner'), c.req.param('id')), 202));

  routes.delete('/:id', async (c) => {
    await service.delete(c.get('owner'), c.req.param('id'));
    return c.body(null, 204);
  });

  return routes;
}
