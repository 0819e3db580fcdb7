// One structured log line per request: method, path, status, duration, and the job it concerned.
import type { MiddlewareHandler } from 'hono';
import type { Logger } from './logger.ts';

export function requestLog(logger: Logger, clock: () => number = () => performance.now()): MiddlewareHandler {
  return async (c, next) => {
    const started = clock();
    await next();
    const jobId = /^\/v1\/jobs\/([^/]+)/.exec(c.req.path)?.[1];
    logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((clock() - started) * 10) / 10,
      ...(jobId === undefined ? {} : { jobId }),
    });
  };
}
