// GET /docs: the OpenAPI reference drawn by Swagger UI (@hono/swagger-ui's page) from
// /openapi.json, its script and stylesheet served from /docs/assets (no CDN).
import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import { NotFound } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import { type ReferenceAssets, referenceAssetTypes } from './reference-assets.ts';

/** The middleware's `baseUrl` is a package mirror: it asks for <baseUrl>/swagger-ui-dist/<file>. */
export const referenceAssetsBase = '/docs/assets';

export function referenceRoutes(assets: ReferenceAssets): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get(
    '/docs',
    swaggerUI({
      url: '/openapi.json',
      baseUrl: referenceAssetsBase,
      title: 'ldam-runner API reference',
      // Operations listed, every schema shown with its example value.
      docExpansion: 'list',
      defaultModelsExpandDepth: 1,
      defaultModelRendering: 'example',
      // The page's "try it out" calls go to this same server; no external validator badge.
      validatorUrl: 'none',
    }),
  );
  routes.get(`${referenceAssetsBase}/swagger-ui-dist/:name`, async (c) => {
    const name = c.req.param('name');
    if (!Object.hasOwn(referenceAssetTypes, name)) throw new NotFound(`no reference asset ${name}`);
    const key = name as keyof typeof referenceAssetTypes;
    return c.body(await assets(key), 200, {
      'Content-Type': referenceAssetTypes[key],
      'Cache-Control': 'public, max-age=3600',
    });
  });
  return routes;
}
