// Unauthenticated routes: health, the OpenAPI document and the docs page.
import { Hono } from 'hono';
import type { Store } from '../../trainer/store/store.ts';
import type { AppEnv } from '../http/app-env.ts';
import { renderDocsPage } from '../openapi/docs-page.ts';
import { buildOpenApiDocument } from '../openapi/document.ts';
import type { TaskRunner } from '../runners/task-runner.ts';

export function metaRoutes(store: Store, runner: TaskRunner): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const document = buildOpenApiDocument();
  const page = renderDocsPage(document);
  routes.get('/healthz', (c) => c.json({ ok: true, runner: runner.kind, store: store.describe() }));
  routes.get('/openapi.json', (c) => c.json(document));
  routes.get('/docs', (c) => c.html(page));
  return routes;
}
