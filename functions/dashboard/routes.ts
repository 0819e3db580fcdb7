// GET / (the dashboard shell) and its two assets. Unauthenticated like /docs: the page holds no
// data; its own API requests carry the key the user enters.
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { gatewayHeaders } from '../http/gateway-guard.ts';
import type { DashboardScript } from './assets.ts';
import { dashboardCss, dashboardHtml } from './page.ts';
import { withStreamUrl } from './stream-url.ts';

export function dashboardRoutes(script: DashboardScript): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/', (c) => c.html(withStreamUrl(dashboardHtml, c.req.header(gatewayHeaders.streamUrl))));
  routes.get('/assets/dashboard.css', (c) =>
    c.body(dashboardCss, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
  );
  routes.get('/assets/dashboard.js', async (c) =>
    c.body(await script(), 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
    }),
  );
  return routes;
}
