// Every route of the API, described once: the OpenAPI document is rendered from this table (and
// /docs draws the document), and a test checks it against the routes the app registers.
import type { z } from 'zod';
import { reportSchema } from '../../trainer/reports/index.ts';
import { experimentSpecSchema } from '../../trainer/spec/index.ts';
import { resultsQuerySchema } from '../benchmarks/routes.ts';
import { benchmarkSpecSchema } from '../benchmarks/schema.ts';
import { benchmarkResultsSchema, benchmarkViewSchema } from '../benchmarks/view-schemas.ts';
import {
  artifactListSchema,
  eventsPageSchema,
  eventsQuerySchema,
  healthSchema,
  jobListSchema,
  jobViewSchema,
  listQuerySchema,
  logsQuerySchema,
  reportQuerySchema,
} from '../http/schemas.ts';

export interface RouteResponse {
  readonly description: string;
  /** Content type → schema (undefined schema = a plain string body). */
  readonly content?: Readonly<Record<string, z.ZodType | undefined>>;
}

export interface RouteDoc {
  readonly method: 'get' | 'post' | 'delete';
  /** OpenAPI path template, e.g. /v1/jobs/{id}. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly auth: boolean;
  readonly query?: z.ZodObject;
  readonly headers?: readonly { name: string; description: string }[];
  readonly body?: { readonly schema: z.ZodType; readonly description: string; readonly example?: unknown };
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

const json = (schema: z.ZodType | undefined) => ({ 'application/json': schema });
const jobErrors = {
  401: { description: 'missing or invalid API key' },
  404: { description: 'no such job (or another owner’s)' },
} as const;
const benchmarkErrors = {
  401: { description: 'missing or invalid API key' },
  404: { description: 'no such benchmark (or another owner’s)' },
} as const;

/** Schemas the reference lists by name (components.schemas); the operations refer to them. */
export const namedSchemas: ReadonlyMap<z.ZodType, string> = new Map<z.ZodType, string>([
  [experimentSpecSchema, 'ExperimentSpec'],
  [jobViewSchema, 'Job'],
  [jobListSchema, 'JobList'],
  [eventsPageSchema, 'EventsPage'],
  [reportSchema, 'Report'],
  [artifactListSchema, 'ArtifactList'],
  [benchmarkSpecSchema, 'BenchmarkSpec'],
  [benchmarkViewSchema, 'Benchmark'],
  [benchmarkResultsSchema, 'BenchmarkResults'],
  [healthSchema, 'Health'],
]);

export const routeDocs: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/jobs',
    summary: 'Submit an experiment',
    description:
      'Validates the spec, checks the dataset source against the allowed roots and the run-time estimate against the cost guard, then queues the job.',
    auth: true,
    headers: [
      { name: 'Idempotency-Key', description: 'a retry with the same key and body returns the same job' },
    ],
    body: {
      schema: experimentSpecSchema,
      description: 'the experiment spec (version 1)',
      example: {
        version: 1,
        name: 'ldam-drw-cifar10-exp100',
        dataset: { name: 'cifar10', imbalance: { type: 'exp', ratio: 100 } },
        model: { arch: 'resnet32' },
        loss: { type: 'ldam', maxMargin: 0.5, scale: 30 },
        rebalance: { rule: 'drw', weighting: 'class-balanced', beta: 0.9999 },
      },
    },
    responses: {
      201: { description: 'the job, queued', content: json(jobViewSchema) },
      200: {
        description: 'an Idempotency-Key replay: the job the key created',
        content: json(jobViewSchema),
      },
      400: {
        description:
          'invalid spec (every failing field path and rule), or a dataset source outside the allowlist (on the local runner also a missing source or a symlink out of it)',
      },
      401: { description: 'missing or invalid API key' },
      404: { description: 'stage2.fromJob names no job of this key' },
      409: {
        description: 'Idempotency-Key reused with a different body, or stage2.fromJob has not succeeded',
      },
      413: { description: 'body over 64 KiB' },
      422: {
        description:
          'estimated run time over the runner’s cost limit (the estimate is in the error), or a stage-2 spec whose dataset, model or classifier head differs from stage2.fromJob’s (the fields are in the error)',
      },
      429: { description: 'the key already has its maximum of active jobs' },
    },
  },
  {
    method: 'get',
    path: '/v1/jobs',
    summary: 'List jobs, newest first',
    auth: true,
    query: listQuerySchema,
    responses: {
      200: { description: 'one page of jobs', content: json(jobListSchema) },
      400: { description: 'bad query' },
    },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}',
    summary: 'A job: status, attempts, transitions, progress, ETA and links',
    auth: true,
    responses: { 200: { description: 'the job', content: json(jobViewSchema) }, ...jobErrors },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/events',
    summary:
      'Status changes and metrics: Server-Sent Events (Accept: text/event-stream) or a JSON page after a position',
    description:
      'SSE ids are log positions: reconnect with Last-Event-ID to resume with nothing repeated or skipped. The stream ends with an `end` event after a terminal status.',
    auth: true,
    query: eventsQuerySchema,
    headers: [{ name: 'Last-Event-ID', description: 'resume position (SSE)' }],
    responses: {
      200: {
        description: 'events after the position',
        content: { 'application/json': eventsPageSchema, 'text/event-stream': undefined },
      },
      400: { description: 'malformed position' },
      ...jobErrors,
    },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/report',
    summary: 'The per-class error report',
    auth: true,
    query: reportQuerySchema,
    responses: {
      200: {
        description: 'the report in the requested format',
        content: {
          'application/json': reportSchema,
          'text/csv': undefined,
          'image/svg+xml': undefined,
          'text/markdown': undefined,
        },
      },
      ...jobErrors,
    },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/logs',
    summary: 'The trainer’s stdout and stderr',
    auth: true,
    query: logsQuerySchema,
    responses: { 200: { description: 'log text', content: { 'text/plain': undefined } }, ...jobErrors },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/artifacts',
    summary: 'Every stored object of the job: names, sizes, download URLs',
    auth: true,
    responses: { 200: { description: 'artifacts', content: json(artifactListSchema) }, ...jobErrors },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/artifacts/{name}',
    summary: 'One artifact, streamed (the name URL-encoded as one segment, slashes as %2F)',
    auth: true,
    responses: {
      200: { description: 'the object’s bytes', content: { 'application/octet-stream': undefined } },
      400: { description: 'the name is not a path below the job' },
      ...jobErrors,
    },
  },
  {
    method: 'post',
    path: '/v1/jobs/{id}/cancel',
    summary: 'Cancel an active job (the trainer is interrupted)',
    auth: true,
    responses: {
      202: { description: 'cancel recorded; the job ends `cancelled`', content: json(jobViewSchema) },
      409: { description: 'the job already finished' },
      ...jobErrors,
    },
  },
  {
    method: 'post',
    path: '/v1/jobs/{id}/retry',
    summary:
      'Run a failed, cancelled or timed-out job again (attempt n+1, resuming from its last checkpoint)',
    auth: true,
    responses: {
      202: { description: 'queued again', content: json(jobViewSchema) },
      409: { description: 'the job is active or succeeded' },
      429: { description: 'the key already has its maximum of active jobs' },
      ...jobErrors,
    },
  },
  {
    method: 'delete',
    path: '/v1/jobs/{id}',
    summary: 'Delete a finished job and every object it stored',
    auth: true,
    responses: {
      204: { description: 'deleted' },
      409: { description: 'the job is still active' },
      ...jobErrors,
    },
  },
  {
    method: 'post',
    path: '/v1/benchmarks',
    summary: 'Start a benchmark: methods × grid settings × seeds, each cell one job',
    description:
      'Validates the benchmark and every expanded cell’s experiment spec before storing anything, then submits up to `maxConcurrentCells` cells as jobs of the caller (same cost guard and per-key limit as POST /v1/jobs). `{ "preset": name, … }` starts from a preset; fields beside it replace the preset’s and `base` merges into its base.',
    auth: true,
    body: {
      schema: benchmarkSpecSchema,
      description: 'the benchmark spec (version 1)',
      example: {
        version: 1,
        base: {
          version: 1,
          dataset: { name: 'fashion-mnist' },
          model: { arch: 'mlp' },
          schedule: { epochs: 10 },
        },
        methods: ['erm', 'ldam-drw'],
        grid: {
          'dataset.imbalance': [
            { type: 'exp', ratio: 100 },
            { type: 'step', ratio: 10 },
          ],
        },
        seeds: [0, 1],
      },
    },
    responses: {
      201: { description: 'the benchmark with its cells and progress', content: json(benchmarkViewSchema) },
      400: {
        description:
          'invalid benchmark, an expanded cell’s invalid spec, or a dataset source refused (issues name the `cell` and field)',
      },
      401: { description: 'missing or invalid API key' },
      413: { description: 'body over 64 KiB' },
      422: {
        description:
          'cells over the runner’s cost limit: `cells` lists each with its estimate, `estimateSeconds` is the costliest',
      },
    },
  },
  {
    method: 'get',
    path: '/v1/benchmarks/{id}',
    summary: 'A benchmark: progress and every cell’s state (submits cells whose turn has come)',
    auth: true,
    responses: {
      200: { description: 'the benchmark', content: json(benchmarkViewSchema) },
      ...benchmarkErrors,
    },
  },
  {
    method: 'get',
    path: '/v1/benchmarks/{id}/results',
    summary: 'Results so far: error summaries per method and setting over the seeds, every cell, and costs',
    auth: true,
    query: resultsQuerySchema,
    responses: {
      200: {
        description: 'the results in the requested format',
        content: {
          'application/json': benchmarkResultsSchema,
          'text/csv': undefined,
          'text/markdown': undefined,
          'image/svg+xml': undefined,
        },
      },
      400: { description: 'bad query' },
      ...benchmarkErrors,
    },
  },
  {
    method: 'post',
    path: '/v1/benchmarks/{id}/cancel',
    summary: 'Cancel a benchmark: no further cells are submitted and running cell jobs are cancelled',
    auth: true,
    responses: {
      200: { description: 'the cancelled benchmark', content: json(benchmarkViewSchema) },
      ...benchmarkErrors,
    },
  },
  {
    method: 'get',
    path: '/',
    summary: 'The dashboard: runs, live curves, per-class charts, compare, benchmarks',
    description: 'An HTML page whose own requests call this API with the key the user enters.',
    auth: false,
    responses: { 200: { description: 'HTML', content: { 'text/html': undefined } } },
  },
  {
    method: 'get',
    path: '/assets/dashboard.js',
    summary: 'The dashboard script (bundled at build, or once on first request)',
    auth: false,
    responses: { 200: { description: 'JavaScript module', content: { 'text/javascript': undefined } } },
  },
  {
    method: 'get',
    path: '/assets/dashboard.css',
    summary: 'The dashboard stylesheet',
    auth: false,
    responses: { 200: { description: 'CSS', content: { 'text/css': undefined } } },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Operators’ metrics in Prometheus text format',
    description:
      'ldam_jobs{status}, ldam_job_queue_wait_seconds, ldam_job_run_seconds, ldam_trainer_exits_total{code}, ldam_store_retries_total, as this process saw them. Needs a key whenever keys are configured.',
    auth: true,
    responses: {
      200: { description: 'Prometheus exposition format 0.0.4', content: { 'text/plain': undefined } },
    },
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    auth: false,
    responses: { 200: { description: 'ok', content: json(healthSchema) } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    auth: false,
    responses: { 200: { description: 'OpenAPI 3.1', content: json(undefined) } },
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'This reference, drawn by Swagger UI from /openapi.json',
    auth: false,
    responses: { 200: { description: 'HTML', content: { 'text/html': undefined } } },
  },
  {
    method: 'get',
    path: '/docs/assets/swagger-ui-dist/{name}',
    summary: "Swagger UI's script and stylesheet, served here so the reference needs no CDN",
    auth: false,
    responses: {
      200: {
        description: 'swagger-ui-bundle.js or swagger-ui.css',
        content: { 'text/javascript': undefined, 'text/css': undefined },
      },
      404: { description: 'not one of the two files' },
    },
  },
];
