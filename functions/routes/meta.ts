// Unauthenticated routes: health and the OpenAPI document (the reference page is reference-routes.ts).
import { Hono } from 'hono';
import type { Store } from '../../trainer/store/store.ts';
import type { AppEnv } from '../http/app-env.ts';
import { buildOpenApiDocument } from '../openapi/document.ts';
import type { TaskRunner } from '../runners/task-runner.ts';

export function metaRoutes(store: Store, runner: TaskRunner): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const document = buildOpenApiDocument();
  routes.get('/healthz', (c) => c.json({ ok: true, runner: runner.kind, store: store.describe() }));
  routes.get('/openapi.json', (c) => c.json(document));
  return routes;
}
