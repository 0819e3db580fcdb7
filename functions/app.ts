// The HTTP API (Hono). Each entry point (server.ts, lambda.ts) is a composition root that builds
// the store and runner adapters and hands them in here; nothing below creates SDK clients.
import { Hono, type MiddlewareHandler } from 'hono';
import type { Store } from '../trainer/store/store.ts';
import { type Benchmarks, createBenchmarks } from './benchmarks/index.ts';
import type { ApiConfig } from './config.ts';
import { type DashboardScript, dashboardScript } from './dashboard/assets.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { NotFound, Unauthenticated } from './errors.ts';
import type { AppEnv } from './http/app-env.ts';
import { authenticate, localOwner } from './http/auth.ts';
import { localGuard } from './http/local-guard.ts';
import type { Logger } from './http/logger.ts';
import { errorHandler } from './http/on-error.ts';
import { requestLog } from './http/request-log.ts';
import { Artifacts } from './jobs/artifacts.ts';
import { JobRecords } from './jobs/records.ts';
import { JobService } from './jobs/service.ts';
import { Supervisor } from './jobs/supervisor.ts';
import { ApiMetrics } from './metrics/api-metrics.ts';
import { type ReferenceAssets, referenceAssets } from './openapi/reference-assets.ts';
import { referenceRoutes } from './openapi/reference-routes.ts';
import { eventRoutes } from './routes/events.ts';
import { jobRoutes } from './routes/jobs.ts';
import { metaRoutes } from './routes/meta.ts';
import { outputRoutes } from './routes/outputs.ts';
import type { TaskRunner } from './runners/task-runner.ts';

export interface AppDeps {
  readonly store: Store;
  readonly runner: TaskRunner;
  readonly config: ApiConfig;
  readonly clock?: () => Date;
  readonly logger: Logger;
  /** The dashboard's script (default: bundled beside the function, else built once in memory). */
  readonly dashboardScript?: DashboardScript;
  /** Swagger UI's files for /docs (default: beside the function, else from node_modules). */
  readonly referenceAssets?: ReferenceAssets;
}

export interface Api {
  readonly app: Hono<AppEnv>;
  /** Watches jobs; the Node server starts its timer, the Lambda reconciles on reads only. */
  readonly supervisor: Supervisor;
  readonly service: JobService;
  /** Benchmark routes and service; the Node server starts `driver`, the Lambda advances on reads. */
  readonly benchmarks: Benchmarks;
}

export function createApp(deps: AppDeps): Api {
  const clock = deps.clock ?? (() => new Date());
  const { store, runner, config, logger } = deps;
  const records = new JobRecords(store);
  const metrics = new ApiMetrics();
  const supervisor = new Supervisor({
    store,
    records,
    runner,
    clock,
    logger,
    observe: (jobId, state) => metrics.observe(jobId, state),
  });
  const service = new JobService({ store, records, supervisor, runner, config, clock });
  const benchmarks = createBenchmarks({
    store,
    jobService: service,
    supervisor,
    defaultOwner: localOwner,
    clock,
    bodyLimitBytes: config.bodyLimitBytes,
    driverIntervalMs: config.benchmarkDriverMs,
    ...(config.pricePerDeviceHour === undefined ? {} : { pricePerDeviceHour: config.pricePerDeviceHour }),
    onDriverError: (error, benchmarkId) =>
      logger.error('benchmark advance failed', { benchmarkId, error: String(error) }),
  });

  const app = new Hono<AppEnv>();
  app.use('*', requestLog(logger));
  app.onError(errorHandler(logger));
  if (config.apiKeySource === undefined && config.apiKeys.length === 0)
    app.use('*', localGuard(config.allowedHosts));
  app.notFound(() => {
    throw new NotFound('no such route; see /docs');
  });
  app.route('/', dashboardRoutes(deps.dashboardScript ?? dashboardScript()));
  app.route('/', metaRoutes(store, runner));
  app.route('/', referenceRoutes(deps.referenceAssets ?? referenceAssets()));

  const keyAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
    const keys = config.apiKeySource === undefined ? config.apiKeys : await config.apiKeySource();
    if (config.apiKeySource === undefined && keys.length === 0) c.set('owner', localOwner);
    else {
      const owner = authenticate(keys, c.req.header('Authorization'));
      if (owner === undefined) throw new Unauthenticated();
      c.set('owner', owner);
    }
    await next();
  };
  // Behind a key like the API whenever keys are configured (any key: metrics are not per owner).
  app.get('/metrics', keyAuth, async (c) =>
    c.body(await metrics.text(), 200, { 'Content-Type': metrics.registry.contentType }),
  );
  app.use('/v1/*', keyAuth);
  app.route('/v1/jobs', jobRoutes(service, config.bodyLimitBytes));
  app.route(
    '/v1/jobs',
    eventRoutes({ service, supervisor, store, pollMs: config.eventPollMs, heartbeatMs: config.heartbeatMs }),
  );
  app.route('/v1/jobs', outputRoutes(service, new Artifacts(store, records, config.artifactUrls)));
  app.route('/v1/benchmarks', benchmarks.routes);
  return { app, supervisor, service, benchmarks };
}
