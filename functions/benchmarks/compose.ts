import type { Hono } from 'hono';
import type { Store } from '../../trainer/store/store.ts';
import type { AppEnv } from '../http/app-env.ts';
import { storeArtifactReader } from './artifacts.ts';
import { BenchmarkDriver } from './driver.ts';
import { type JobSystem, jobSystemCells } from './job-service-cells.ts';
import { createBenchmarkRoutes } from './routes.ts';
import { BenchmarkService } from './service.ts';

// Wires benchmarks onto the API's job system: one call in the API's composition root, then
// `app.route('/v1/benchmarks', benchmarks.routes)` and, in a long-lived server, `driver.start()`.

export interface BenchmarksDeps {
  readonly store: Store;
  /** The API's JobService (submit) and Supervisor (reconcile, cancel). */
  readonly jobService: JobSystem['jobs'];
  readonly supervisor: JobSystem['supervisor'];
  /** Owner of unauthenticated requests' jobs (the API's `localOwner`). */
  readonly defaultOwner: string;
  readonly bodyLimitBytes: number;
  readonly clock?: () => Date;
  /** LDAM_PRICE_PER_DEVICE_HOUR (parsePricePerDeviceHour), for cost columns. */
  readonly pricePerDeviceHour?: number;
  /** Server-wide cap on cells per benchmark. */
  readonly maxCells?: number;
  /** Driver tick; default 2 s. */
  readonly driverIntervalMs?: number;
  readonly onDriverError?: (error: unknown, benchmarkId: string) => void;
}

export interface Benchmarks {
  readonly routes: Hono<AppEnv>;
  readonly service: BenchmarkService;
  readonly driver: BenchmarkDriver;
}

export function createBenchmarks(deps: BenchmarksDeps): Benchmarks {
  const clock = deps.clock ?? (() => new Date());
  const jobs = jobSystemCells({
    jobs: deps.jobService,
    supervisor: deps.supervisor,
    defaultOwner: deps.defaultOwner,
    clock,
  });
  const service = new BenchmarkService({
    store: deps.store,
    jobs,
    readArtifacts: storeArtifactReader(deps.store),
    now: clock,
    ...(deps.pricePerDeviceHour === undefined ? {} : { pricePerDeviceHour: deps.pricePerDeviceHour }),
    ...(deps.maxCells === undefined ? {} : { maxCells: deps.maxCells }),
  });
  const driver = new BenchmarkDriver(
    service,
    deps.driverIntervalMs ?? 2000,
    deps.onDriverError ?? (() => undefined),
  );
  const routes = createBenchmarkRoutes({ service, driver, bodyLimitBytes: deps.bodyLimitBytes });
  return { routes, service, driver };
}
